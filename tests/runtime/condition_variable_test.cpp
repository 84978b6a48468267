// gridlock::condition_variable: std::condition_variable_any semantics over gridlock's and the
// standard's locks, and the lost wake-up (a wait whose signal already happened) reported.
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <queue>
#include <shared_mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::until_blocked;

TEST(ConditionVariable, ProducerConsumerOverAGridlockMutex) {
  gridlock::mutex m("queue lock");
  gridlock::condition_variable cv("not empty");
  std::queue<int> q;
  constexpr int kItems = 10000;
  long sum = 0;
  std::thread consumer([&] {
    for (int i = 0; i < kItems; ++i) {
      std::unique_lock lk(m);
      cv.wait(lk, [&] { return !q.empty(); });
      sum += q.front();
      q.pop();
    }
  });
  for (int i = 1; i <= kItems; ++i) {
    {
      std::lock_guard lk(m);
      q.push(i);
    }
    cv.notify_one();
  }
  consumer.join();
  EXPECT_EQ(sum, static_cast<long>(kItems) * (kItems + 1) / 2);
}

// Go's sync.Cond over RWMutex.RLocker(): waiting under a read lock.
TEST(ConditionVariable, WaitsUnderASharedLock) {
  gridlock::shared_mutex rw("config");
  gridlock::condition_variable cv("changed");
  int version = 0;
  std::thread reader([&] {
    std::shared_lock lk(rw);
    cv.wait(lk, [&] { return version == 1; });
  });
  ASSERT_TRUE(until_blocked("condition wait"));
  {
    std::unique_lock lk(rw); // the waiter released its read lock while it waits
    version = 1;
  }
  cv.notify_all();
  reader.join();
}

TEST(ConditionVariable, NotifyAllWakesEveryWaiterAndNotifyOneOne) {
  std::mutex m; // a standard lock works too
  gridlock::condition_variable cv("go");
  int generation = 0;
  std::atomic<int> woken{0};
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i)
    waiters.emplace_back([&] {
      std::unique_lock lk(m);
      cv.wait(lk, [&] { return generation > 0; });
      ++woken;
    });
  ASSERT_TRUE(until_blocked("condition wait", 3));
  {
    std::lock_guard lk(m);
    generation = 1;
  }
  cv.notify_all();
  for (auto &t : waiters) t.join();
  EXPECT_EQ(woken, 3);
}

TEST(ConditionVariable, TimedWaitTimesOutAndKeepsTheLock) {
  gridlock::mutex m("m");
  gridlock::condition_variable cv("never");
  std::unique_lock lk(m);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(cv.wait_for(lk, 30ms), std::cv_status::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  EXPECT_TRUE(lk.owns_lock());
  EXPECT_FALSE(cv.wait_for(lk, 1ms, [] { return false; }));
  EXPECT_TRUE(cv.wait_until(lk, std::chrono::steady_clock::now() + 1ms, [] { return true; }));
}

// GoKer's lost wake-up: the signal happened before the wait, and the only signaller has gone.
TEST(ConditionVariable, AWaitAfterTheOnlySignallerHasExitedIsAProbableLostWakeUp) {
  report_dir dir;
  gridlock::mutex m("state lock");
  gridlock::condition_variable cv("ready");
  bool ready = false; // the waiter forgets to check it: the bug
  gridlock::thread signaller("signaller", [&] {
    gridlock::lock_guard lk(m);
    ready = true;
    cv.notify_one(); // nobody waits yet: lost
  });
  signaller.join();
  gridlock::thread waiter("waiter", [&] {
    std::unique_lock lk(m);
    cv.wait(lk);
  });
  const auto findings = dir.wait_for_findings(1);
  cv.notify_all(); // probable: not acted on; the test wakes it itself
  waiter.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "probable");
  EXPECT_EQ(f.action, "reported");
  EXPECT_NE(f.summary.find("lost wake-up"), std::string::npos) << f.summary;
  ASSERT_NE(find_actor(f, "waiter"), nullptr);
  EXPECT_EQ(find_actor(f, "waiter")->op, "condition wait");
  EXPECT_EQ(find_actor(f, "waiter")->resource, "ready");
  EXPECT_NE(find_actor(f, "waiter")->note.find("no live actor has ever notified 'ready'"),
            std::string::npos);
  EXPECT_TRUE(ready);
}

// Waiters whose notifier is alive and working are no finding.
TEST(ConditionVariable, AWaitForABusyNotifierIsNoFinding) {
  report_dir dir;
  gridlock::mutex m("m");
  gridlock::condition_variable cv("tick");
  int ticks = 0;
  gridlock::thread ticker("ticker", [&] {
    for (int i = 0; i < 6; ++i) {
      std::this_thread::sleep_for(50ms);
      {
        gridlock::lock_guard lk(m);
        ++ticks;
      }
      cv.notify_all();
    }
  });
  {
    std::unique_lock lk(m);
    cv.wait(lk, [&] { return ticks == 6; });
  }
  ticker.join();
  EXPECT_TRUE(dir.reports().empty());
}
