// Seed scenario 4: priority starvation in a mailbox. 'flood' keeps posting priority-5 jobs faster
// than 'worker' handles them; 'background' posts one priority-0 job at the start.
//
// Expected without aging: starvation (definite) of background's priority-0 message in mailbox
// 'jobs': it waits while hundreds of flood's jobs are served first.
// Expected with GRIDLOCK_OPTIONS=aging=50 (one priority step per 50 ms waited): no finding; the
// background job is served after about 300 ms.
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

int main() {
  using clock = std::chrono::steady_clock;
  std::atomic<bool> stop{false};
  auto [address_tx, address_rx] = gridlock::make_channel<gridlock::mailbox<int> *>(1, "jobs-address");
  gridlock::thread worker("worker", [&stop](gridlock::sender<gridlock::mailbox<int> *> publish) {
    gridlock::mailbox<int> jobs("jobs");
    publish.send(&jobs);
    const auto start = clock::now();
    while (clock::now() - start < std::chrono::milliseconds(2500)) {
      const auto job = jobs.receive();
      std::this_thread::sleep_for(std::chrono::microseconds(200)); // handle it
      if (job.message == 0) {
        std::printf("worker: the background job was served after %lld ms\n",
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count()));
        break;
      }
    }
    stop = true;
  }, std::move(address_tx));
  gridlock::mailbox<int> *jobs = *address_rx.recv();
  gridlock::thread flood("flood", [&stop, jobs] {
    while (!stop) {
      for (int i = 0; i < 10; ++i) jobs->post(5, /*priority=*/5);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  gridlock::thread background("background", [jobs] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    jobs->post(0, /*priority=*/0); // EXPECT: starvation of this message (without aging)
  });
}
