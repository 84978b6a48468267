// gridlock::mutex: Lockable, mutual exclusion under contention.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

TEST(Mutex, TryLockFailsWhileHeld) {
  gridlock::mutex m("m");
  std::lock_guard lk(m);
  bool got = true;
  std::thread t([&] { got = m.try_lock(); });
  t.join();
  EXPECT_FALSE(got);
}

TEST(Mutex, WorksWithStandardLockTypes) {
  gridlock::mutex a, b;
  { std::scoped_lock lk(a, b); }
  std::unique_lock lk(a);
  EXPECT_TRUE(lk.owns_lock());
  lk.unlock();
  EXPECT_TRUE(a.try_lock());
  a.unlock();
}

TEST(Mutex, MutualExclusionUnderHeavyContention) {
  constexpr int kThreads = 8, kEach = 20000;
  gridlock::mutex m("counter");
  long counter = 0; // guarded by m, deliberately not atomic
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        gridlock::lock_guard lk(m);
        ++counter;
      }
    });
  for (auto &t : threads) t.join();
  EXPECT_EQ(counter, static_cast<long>(kThreads) * kEach);
}
