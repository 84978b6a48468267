// gridlock::shared_mutex: SharedLockable semantics, Go's writer preference, and the deadlocks
// reader/writer locks are known for (a read lock re-taken while a writer waits, an upgrade).
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using gridlock::testing::broken;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::sorted;
using gridlock::testing::until_blocked;

namespace {
// Polls until `pred` holds (generous deadline; the tests never sleep to make it work).
template <class Pred> bool eventually(Pred pred) {
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (!pred())
    if (std::chrono::steady_clock::now() > until)
      return false;
    else
      std::this_thread::sleep_for(1ms);
  return true;
}
} // namespace

TEST(SharedMutex, ReadersShareTheLock) {
  gridlock::shared_mutex rw("rw");
  std::shared_lock a(rw);
  bool second = false;
  std::thread t([&] {
    second = rw.try_lock_shared();
    if (second) rw.unlock_shared();
  });
  t.join();
  EXPECT_TRUE(second);
  EXPECT_FALSE(rw.try_lock());
}

TEST(SharedMutex, WriterExcludesReadersAndWriters) {
  gridlock::shared_mutex rw("rw");
  std::unique_lock w(rw);
  bool reader = true, writer = true;
  std::thread t([&] {
    reader = rw.try_lock_shared();
    writer = rw.try_lock();
  });
  t.join();
  EXPECT_FALSE(reader);
  EXPECT_FALSE(writer);
}

TEST(SharedMutex, MutualExclusionUnderMixedContention) {
  for (const auto policy :
       {gridlock::rw_policy::prefer_writers, gridlock::rw_policy::prefer_readers}) {
    gridlock::shared_mutex rw("rw", policy);
    long value = 0; // written under the write lock, read under the read lock
    std::atomic<int> readers_inside{0};
    std::atomic<bool> torn{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 5000; ++i)
          if (t % 2 == 0) {
            gridlock::lock_guard g(rw);
            if (readers_inside.load() != 0) torn = true;
            ++value;
          } else {
            gridlock::shared_lock_guard g(rw);
            ++readers_inside;
            const long v = value;
            if (value != v) torn = true;
            --readers_inside;
          }
      });
    for (auto &t : threads) t.join();
    EXPECT_FALSE(torn);
    EXPECT_EQ(value, 2 * 5000);
  }
}

// Go's policy: once a writer waits, a new reader waits behind it.
TEST(SharedMutex, AWaitingWriterBlocksNewReaders) {
  gridlock::shared_mutex rw("rw");
  rw.lock_shared();
  std::atomic<bool> wrote{false};
  std::thread writer([&] {
    rw.lock();
    wrote = true;
    rw.unlock();
  });
  // The writer is parked once a new reader is refused.
  ASSERT_TRUE(eventually([&] {
    if (!rw.try_lock_shared()) return true;
    rw.unlock_shared();
    return false;
  }));
  EXPECT_FALSE(wrote);
  rw.unlock_shared();
  writer.join();
  EXPECT_TRUE(wrote);
}

TEST(SharedMutex, PreferReadersLetsReadersPastAWaitingWriter) {
  gridlock::shared_mutex rw("rw", gridlock::rw_policy::prefer_readers);
  rw.lock_shared();
  std::thread writer([&] {
    rw.lock();
    rw.unlock();
  });
  ASSERT_TRUE(until_blocked("write lock"));
  EXPECT_TRUE(rw.try_lock_shared());
  rw.unlock_shared();
  rw.unlock_shared();
  writer.join();
}

// After a writer, the readers that queued meanwhile go before the next writer: neither side
// starves the other under Go's policy.
TEST(SharedMutex, ReadersQueuedBehindAWriterGoBeforeTheNextWriter) {
  gridlock::shared_mutex rw("rw");
  rw.lock();
  std::vector<int> order;
  std::mutex order_mu;
  const auto note = [&](int who) {
    std::lock_guard lk(order_mu);
    order.push_back(who);
  };
  std::thread reader([&] {
    rw.lock_shared();
    note(1);
    rw.unlock_shared();
  });
  ASSERT_TRUE(until_blocked("read lock"));
  std::thread writer2([&] {
    rw.lock();
    note(2);
    rw.unlock();
  });
  ASSERT_TRUE(until_blocked("write lock"));
  rw.unlock();
  reader.join();
  writer2.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

// GoKer's classic: a reader re-takes its read lock while a writer waits. The writer waits for
// the reader (an AND wait over the holders), the reader's second lock waits for the writer.
TEST(SharedMutex, ReadLockRetakenWhileAWriterWaitsIsADefiniteCycle) {
  report_dir dir;
  gridlock::shared_mutex rw("state");
  std::atomic<bool> reader_has_it{false};
  std::atomic<int> reader_outcome{-1};
  gridlock::thread reader("reader", [&] {
    rw.lock_shared();
    reader_has_it = true;
    // Once the writer is parked, its next read lock queues behind it.
    if (!until_blocked("write lock")) return;
    try {
      rw.lock_shared(); // the second read lock: the bug
      rw.unlock_shared();
      reader_outcome = 0;
    } catch (const gridlock::deadlock_error &) {
      reader_outcome = 1;
    }
    rw.unlock_shared();
  });
  ASSERT_TRUE(eventually([&] { return reader_has_it.load(); }));
  gridlock::thread writer("writer", [&] {
    rw.lock();
    rw.unlock();
  });
  const auto findings = dir.wait_for_findings(1);
  reader.join();
  writer.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"reader", "writer"}));
  ASSERT_NE(find_actor(f, "writer"), nullptr);
  EXPECT_EQ(find_actor(f, "writer")->op, "write lock");
  EXPECT_EQ(find_actor(f, "writer")->mode, "all");
  EXPECT_EQ(find_actor(f, "writer")->resource, "state");
  EXPECT_EQ(find_actor(f, "reader")->op, "read lock");
  EXPECT_EQ(f.resources.at(0).kind, "shared_mutex");
  EXPECT_EQ(reader_outcome, 1); // the youngest wait of the cycle was broken
}

TEST(SharedMutex, UpgradingAReadLockIsADefiniteSelfDeadlock) {
  report_dir dir;
  gridlock::shared_mutex rw("table");
  std::atomic<int> outcome{-1};
  gridlock::thread t("upgrader", [&] {
    gridlock::shared_lock_guard read(rw);
    outcome = broken([&] {
      rw.lock(); // waits for every holder, itself included
      rw.unlock();
    });
  });
  const auto findings = dir.wait_for_findings(1);
  t.join();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].certainty, "definite");
  EXPECT_EQ(findings[0].cycle, (std::vector<std::string>{"upgrader"}));
  EXPECT_EQ(findings[0].actors.at(0).op, "write lock");
  EXPECT_EQ(outcome, 1);
}

// A writer waiting for readers that run on (they only read slowly) is not a deadlock.
TEST(SharedMutex, WriterWaitingForBusyReadersIsNoFinding) {
  report_dir dir;
  gridlock::shared_mutex rw("slow");
  std::latch readers_in(2);
  std::vector<gridlock::thread> readers;
  for (int i = 0; i < 2; ++i)
    readers.emplace_back("reader-" + std::to_string(i), [&] {
      gridlock::shared_lock_guard g(rw);
      readers_in.count_down();
      std::this_thread::sleep_for(300ms);
    });
  readers_in.wait();
  gridlock::thread writer("writer", [&] { gridlock::lock_guard g(rw); });
  writer.join();
  for (auto &r : readers) r.join();
  EXPECT_TRUE(dir.reports().empty());
}

namespace {
// Two readers that take turns so that one always holds the lock: each leaves only once the other
// is in (or after 50 ms alone). Under prefer_readers the lock is never free for a writer; under
// Go's policy a waiting writer keeps the re-entering reader out, and the other one leaves after
// its 50 ms. The writer arrives once both are in. Returns the starvation findings.
std::vector<gridlock::report::finding> writer_among_overlapping_readers(gridlock::rw_policy p) {
  report_dir dir("starvation_ms=200:starvation_bypass=20");
  gridlock::shared_mutex rw("catalog", p);
  std::atomic<bool> stop{false};
  std::atomic<int> inside{0}, turn{0};
  std::vector<gridlock::thread> readers;
  for (int i = 0; i < 2; ++i)
    readers.emplace_back("reader-" + std::to_string(i), [&, i] {
      while (!stop) {
        rw.lock_shared();
        ++inside;
        const auto alone_until = std::chrono::steady_clock::now() + 50ms;
        while (!stop && !(inside == 2 && turn == i) &&
               std::chrono::steady_clock::now() < alone_until)
          std::this_thread::sleep_for(100us);
        turn = 1 - i;
        --inside;
        rw.unlock_shared();
      }
    });
  while (inside < 2) std::this_thread::yield();
  gridlock::thread writer("writer", [&] { gridlock::lock_guard g(rw); });
  std::vector<gridlock::report::finding> found;
  if (p == gridlock::rw_policy::prefer_readers)
    found = dir.wait_for_findings(1);
  else
    writer.join(); // it gets in: waiting writers block new readers
  stop = true;
  if (writer.joinable()) writer.join();
  for (auto &r : readers) r.join();
  for (const auto &r : dir.reports())
    for (const auto &f : r.findings)
      if (f.kind == "starvation" &&
          std::none_of(found.begin(), found.end(), [&](const auto &x) { return x.id == f.id; }))
        found.push_back(f);
  return found;
}
} // namespace

// The seed's readers-writers problem on a lock: under prefer_readers a stream of readers starves
// the writer, and the fairness monitor reports it; Go's policy lets the writer in.
TEST(SharedMutex, PreferReadersStarvesAWriterAndTheMonitorSaysSo) {
  const auto found = writer_among_overlapping_readers(gridlock::rw_policy::prefer_readers);
  ASSERT_GE(found.size(), 1u);
  const auto &f = found[0];
  EXPECT_EQ(f.kind, "starvation");
  ASSERT_EQ(f.actors.size(), 1u);
  EXPECT_EQ(f.actors[0].name, "writer");
  EXPECT_EQ(f.actors[0].op, "write lock");
  EXPECT_EQ(f.actors[0].resource, "catalog");
  EXPECT_GE(f.bypass_count.value_or(0), 20);
}

TEST(SharedMutex, GoPolicyLetsTheWriterInAmongOverlappingReaders) {
  EXPECT_TRUE(writer_among_overlapping_readers(gridlock::rw_policy::prefer_writers).empty());
}

// A reader that exits without releasing its read lock: the writer waits for nobody left, and
// the report says who took the lock.
TEST(SharedMutex, AReadLockLeakedByAnExitedThreadIsNamed) {
  report_dir dir;
  gridlock::shared_mutex rw("config");
  gridlock::thread leaker("leaker", [&] { rw.lock_shared(); }); // never unlocks: the bug
  leaker.join();
  std::atomic<int> outcome{-1};
  gridlock::thread writer("writer", [&] { outcome = broken([&] { gridlock::lock_guard g(rw); }); });
  const auto findings = dir.wait_for_findings(1);
  writer.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto *w = find_actor(findings[0], "writer");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->op, "write lock");
  EXPECT_NE(w->note.find("'leaker' took a read lock on 'config' and has exited"), std::string::npos)
      << w->note;
  EXPECT_EQ(outcome, 1);
}
