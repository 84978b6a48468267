// gridlock::counting_semaphore: std::counting_semaphore semantics, and the waits no releaser is
// left for (a lost wake-up), reported as probable.
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::until_blocked;

TEST(Semaphore, CountsPermits) {
  gridlock::counting_semaphore<4> s(2, "slots");
  EXPECT_EQ(s.max(), 4);
  EXPECT_TRUE(s.try_acquire());
  EXPECT_TRUE(s.try_acquire());
  EXPECT_FALSE(s.try_acquire());
  s.release(2);
  s.acquire();
  s.acquire();
  EXPECT_FALSE(s.try_acquire());
}

TEST(Semaphore, TimedAcquireGivesUp) {
  gridlock::binary_semaphore s(0, "never");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(s.try_acquire_for(30ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  s.release();
  EXPECT_TRUE(s.try_acquire_for(30ms));
}

TEST(Semaphore, BadCountsThrow) {
  EXPECT_THROW(gridlock::counting_semaphore<> s(-1), std::invalid_argument);
  gridlock::counting_semaphore<> s(0);
  EXPECT_THROW(s.release(-1), std::invalid_argument);
}

TEST(Semaphore, AReleaseOfNWakesNBlockedAcquirers) {
  gridlock::counting_semaphore<> s(0, "gate");
  std::atomic<int> through{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] {
      s.acquire();
      ++through;
    });
  ASSERT_TRUE(until_blocked("semaphore acquire", 3));
  s.release(3);
  for (auto &t : threads) t.join();
  EXPECT_EQ(through, 3);
  EXPECT_FALSE(s.try_acquire());
}

TEST(Semaphore, NoPermitIsLostUnderContention) {
  gridlock::counting_semaphore<> s(0, "tokens");
  constexpr int kEach = 20000;
  std::thread producer([&] {
    for (int i = 0; i < 2 * kEach; ++i) s.release();
  });
  std::vector<std::thread> consumers;
  for (int c = 0; c < 2; ++c)
    consumers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) s.acquire();
    });
  producer.join();
  for (auto &t : consumers) t.join();
  EXPECT_FALSE(s.try_acquire());
}

// Go's "mutex unlocked by another goroutine": any actor may release.
TEST(Semaphore, AnyActorMayRelease) {
  gridlock::binary_semaphore done(0, "done");
  std::thread t([&] { done.release(); });
  done.acquire();
  t.join();
}

// The only actor that ever released the semaphore has exited: nobody is left to release it.
TEST(Semaphore, AnAcquireWhoseReleasersHaveAllExitedIsAProbableLostWakeUp) {
  report_dir dir;
  gridlock::binary_semaphore s(0, "ready");
  gridlock::thread once("signaller", [&] { s.release(); });
  once.join();
  s.acquire(); // takes the one permit
  std::atomic<bool> got{false};
  gridlock::thread waiter("waiter", [&] {
    s.acquire(); // nobody will release it again
    got = true;
  });
  const auto findings = dir.wait_for_findings(1);
  s.release(); // probable: not acted on; the test unblocks it itself
  waiter.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "probable");
  EXPECT_EQ(f.action, "reported");
  EXPECT_NE(f.summary.find("lost wake-up"), std::string::npos) << f.summary;
  ASSERT_NE(find_actor(f, "waiter"), nullptr);
  EXPECT_EQ(find_actor(f, "waiter")->op, "semaphore acquire");
  EXPECT_EQ(find_actor(f, "waiter")->resource, "ready");
  EXPECT_TRUE(got);
}

// Nobody has released it yet: a later releaser is as likely as none. No report while the
// process runs on.
TEST(Semaphore, AnAcquireBeforeAnyReleaseIsNoFinding) {
  report_dir dir;
  gridlock::binary_semaphore s(0, "first");
  gridlock::thread waiter("waiter", [&] { s.acquire(); });
  ASSERT_TRUE(until_blocked("semaphore acquire"));
  std::this_thread::sleep_for(300ms); // several detection periods pass without a report
  s.release();
  waiter.join();
  EXPECT_TRUE(dir.reports().empty());
}
