// Patterns that block, sometimes for a long time, but never deadlock: none may be reported.
// Each scenario keeps some wait blocked for many detection delays, so the detector has checked
// the graph repeatedly by the time it ends.
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;
using gridlock::testing::report_dir;

namespace {
std::chrono::milliseconds delays(const report_dir &d, int n) {
  return std::chrono::milliseconds(n * d.delay_ms());
}
} // namespace

TEST(CleanPatterns, SlowConsumer) {
  report_dir dir;
  auto [tx, rx] = gridlock::make_channel<int>(2, "buffer");
  gridlock::thread producer(
      "producer",
      [](gridlock::sender<int> out) {
        for (int i = 0; i < 12; ++i) out.send(i);
      },
      std::move(tx));
  gridlock::thread consumer(
      "consumer",
      [&](gridlock::receiver<int> in) {
        while (auto v = in.recv())
          if (*v % 4 == 0) std::this_thread::sleep_for(delays(dir, 4)); // busy elsewhere
      },
      std::move(rx));
  producer.join();
  consumer.join();
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, PeerThatStartsLater) {
  report_dir dir;
  auto [tx, rx] = gridlock::make_channel<int>(0, "late");
  // A plain std::thread capturing the sender by reference, started after a while.
  std::thread late([&, wait = delays(dir, 10)] {
    std::this_thread::sleep_for(wait);
    tx.send(1);
  });
  gridlock::thread receiver(
      "receiver", [](gridlock::receiver<int> in) { in.recv(); }, std::move(rx));
  receiver.join();
  late.join();
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, ConsumerThatWillUseMainsHandleByReference) {
  // main keeps both ends unused (make_channel's); the producer blocks in a send whose only
  // receive end is main's, and main joins it. The consumer, an actor that starts late, uses main's
  // receiver by reference: an unused copy is a way out when no cycle needs it.
  report_dir dir;
  auto [tx, rx] = gridlock::make_channel<int>(0, "late");
  gridlock::thread producer("producer", [&tx] { tx.send(1); });
  gridlock::thread consumer("consumer", [&rx, wait = delays(dir, 10)] {
    std::this_thread::sleep_for(wait);
    rx.recv();
  });
  producer.join();
  consumer.join();
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, PeerBlockedInASystemCallOutsideGridlock) {
  report_dir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto [tx, rx] = gridlock::make_channel<int>(0, "after-read");
  gridlock::thread reader(
      "reader",
      [fd = fds[0]](gridlock::sender<int> out) {
        char c;
        while (::read(fd, &c, 1) < 0) {
        } // blocked in the kernel, not in gridlock: a live actor
        out.send(c);
      },
      std::move(tx));
  gridlock::thread waiter(
      "waiter", [](gridlock::receiver<int> in) { in.recv(); }, std::move(rx));
  std::this_thread::sleep_for(delays(dir, 10));
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  reader.join();
  waiter.join();
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, TimedWaitsThatNeverSucceed) {
  report_dir dir;
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  // Both send first, but with a timeout: no deadlock, each gives up.
  auto peer = [&](gridlock::sender<int> out, gridlock::receiver<int> in) {
    int v = 1;
    try {
      for (int i = 0; i < 5; ++i) out.send_for(v, delays(dir, 2));
    } catch (const gridlock::channel_closed &) { // the other gave up first and is gone
    }
    (void)in;
  };
  gridlock::thread a("A", peer, std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("B", peer, std::move(b_to_a), std::move(b_from_a));
  a.join();
  b.join();
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, CloseBasedShutdown) {
  report_dir dir;
  auto [tx, rx] = gridlock::make_channel<int>(0, "jobs");
  std::atomic<int> done{0};
  std::vector<gridlock::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back(
        "worker-" + std::to_string(w),
        [&](gridlock::receiver<int> jobs) {
          while (jobs.recv()) ++done; // idle workers block here until close
        },
        rx);
  { auto gone = std::move(rx); }
  for (int i = 0; i < 20; ++i) tx.send(i);
  std::this_thread::sleep_for(delays(dir, 6)); // workers idle, blocked on an open channel
  tx.close();
  for (auto &w : workers) w.join();
  EXPECT_EQ(done, 20);
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, RequestReplyServer) {
  report_dir dir;
  struct request {
    int x;
    gridlock::sender<int> reply;
  };
  auto [req_tx, req_rx] = gridlock::make_channel<request>(0, "requests");
  gridlock::thread server(
      "server",
      [](gridlock::receiver<request> in) {
        while (auto r = in.recv()) r->reply.send(r->x * 2);
      },
      std::move(req_rx));
  std::vector<gridlock::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 3; ++c)
    clients.emplace_back(
        "client-" + std::to_string(c),
        [&, c](gridlock::sender<request> out) {
          auto [rtx, rrx] = gridlock::make_channel<int>(0, "reply-" + std::to_string(c));
          for (int i = 0; i < 50; ++i) {
            out.send(request{i, rtx});
            if (rrx.recv() == i * 2) ++ok;
          }
          std::this_thread::sleep_for(delays(dir, 4)); // server now idle, blocked on requests
        },
        req_tx);
  for (auto &c : clients) c.join();
  req_tx.close();
  server.join();
  EXPECT_EQ(ok, 150);
  EXPECT_TRUE(dir.reports().empty());
}

TEST(CleanPatterns, HeavyMutexContention) {
  report_dir dir;
  gridlock::mutex m("hot");
  long counter = 0;
  std::vector<gridlock::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back("t" + std::to_string(t), [&] {
      for (int i = 0; i < 2000; ++i) {
        gridlock::lock_guard lk(m);
        ++counter;
        if (i % 500 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(dir.delay_ms()));
      }
    });
  for (auto &t : threads) t.join();
  EXPECT_EQ(counter, 12000);
  EXPECT_TRUE(dir.reports().empty());
}
