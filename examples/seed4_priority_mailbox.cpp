// Seed scenario 4: priority starvation in a mailbox. 'flood' keeps the 'jobs' mailbox full of
// priority-5 jobs (two more before each job the worker takes, so it is always ahead of the worker);
// 'background' posts one priority-0 job at the start.
//
// Expected without aging: starvation (definite) of background's priority-0 message in mailbox
// 'jobs', reported once it is starvation_ms old: flood's jobs, posted after it, keep being served
// first.
// Expected with GRIDLOCK_OPTIONS=aging=50 (one priority step per 50 ms waited): no finding; the
// background job is served after about half a second.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

int main() {
  using clock = std::chrono::steady_clock;
  gridlock::mailbox<int> *jobs = nullptr;
  auto [address_tx, address_rx] =
      gridlock::make_channel<gridlock::mailbox<int> *>(1, "jobs-address");
  auto [tick_tx, tick_rx] = gridlock::make_channel<int>(0, "tick");
  auto [ack_tx, ack_rx] = gridlock::make_channel<int>(0, "ack");

  gridlock::thread worker(
      "worker",
      [](gridlock::sender<gridlock::mailbox<int> *> publish, gridlock::sender<int> ticks,
         gridlock::receiver<int> acks) {
        gridlock::mailbox<int> box("jobs");
        publish.send(&box);
        const auto start = clock::now();
        while (clock::now() - start < std::chrono::milliseconds(2500)) {
          ticks.send(1); // let the flood top the queue up
          acks.recv();
          const auto job = box.receive();
          std::this_thread::sleep_for(std::chrono::microseconds(200)); // handle it
          if (job.message == 0) {
            std::printf(
                "worker: the background job was served after %lld ms\n",
                static_cast<long long>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start)
                        .count()));
            break;
          }
        }
      },
      std::move(address_tx), std::move(tick_tx), std::move(ack_rx));

  jobs = *address_rx.recv();
  gridlock::thread flood(
      "flood",
      [jobs](gridlock::receiver<int> ticks, gridlock::sender<int> acks) {
        while (ticks.recv()) { // until the worker is done
          jobs->post(5, /*priority=*/5);
          jobs->post(5, /*priority=*/5);
          acks.send(1);
        }
      },
      std::move(tick_rx), std::move(ack_tx));
  gridlock::thread background("background", [jobs] {
    jobs->post(0, /*priority=*/0); // EXPECT: starvation of this message (without aging)
  });
}
