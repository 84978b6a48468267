// gridlock::wait_group: Go's WaitGroup semantics, go(), and the deadlocks it is known for
// (waiting for workers that block on the waiter, a worker waiting for its own group).
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using gridlock::testing::broken;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::sorted;
using gridlock::testing::until_blocked;

TEST(WaitGroup, WaitOnAZeroCounterReturnsAtOnce) {
  gridlock::wait_group wg("idle");
  wg.wait();
  wg.add(2);
  wg.done();
  wg.done();
  wg.wait();
}

TEST(WaitGroup, ANegativeCounterThrowsAndLeavesTheCounterAsItWas) {
  gridlock::wait_group wg("wg");
  wg.add(1);
  EXPECT_THROW(wg.add(-2), std::logic_error);
  wg.done(); // the counter was still 1
  wg.wait();
  EXPECT_THROW(wg.done(), std::logic_error);
}

TEST(WaitGroup, WaitReturnsOnceEveryWorkerIsDone) {
  gridlock::wait_group wg("workers");
  std::atomic<int> finished{0};
  for (int i = 0; i < 8; ++i)
    wg.go(
        "worker-" + std::to_string(i), [&finished](int) { ++finished; }, i);
  wg.wait();
  EXPECT_EQ(finished, 8);
}

TEST(WaitGroup, PlainAddAndDoneFromStandardThreads) {
  gridlock::wait_group wg("wg");
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  wg.add(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      ++finished;
      wg.done();
    });
  wg.wait();
  EXPECT_EQ(finished, 4);
  for (auto &t : threads) t.join();
}

TEST(WaitGroup, EveryWaiterIsWoken) {
  gridlock::wait_group wg("wg");
  wg.add(1);
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) waiters.emplace_back([&] { wg.wait(); });
  ASSERT_TRUE(until_blocked("wait_group wait", 3));
  wg.done();
  for (auto &t : waiters) t.join();
}

// GoKer's most common WaitGroup bug: the collector waits for the workers before it receives
// their results, and the workers block sending to it on a rendezvous channel.
TEST(WaitGroup, WaitingBeforeReceivingTheWorkersResultsIsADefiniteCycle) {
  report_dir dir;
  gridlock::wait_group wg("workers");
  auto [results_tx, results_rx] = gridlock::make_channel<int>(0, "results");
  std::atomic<int> outcome{-1};
  for (int i = 0; i < 2; ++i)
    wg.go(
        "worker-" + std::to_string(i),
        [](gridlock::sender<int> out, int v) {
          try {
            out.send(v);
          } catch (const gridlock::channel_closed &) {
          }
        },
        results_tx, i);
  results_tx = {};
  gridlock::thread collector(
      "collector",
      [&](gridlock::receiver<int> in) {
        try {
          wg.wait(); // the bug: the results are received after
          while (in.recv()) {
          }
          outcome = 0;
        } catch (const gridlock::deadlock_error &) {
          outcome = 1;
        }
      },
      std::move(results_rx));
  const auto findings = dir.wait_for_findings(1);
  collector.join();
  wg.wait(); // the workers saw the channel close when the collector gave up
  ASSERT_GE(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  ASSERT_NE(find_actor(f, "collector"), nullptr);
  EXPECT_EQ(find_actor(f, "collector")->op, "wait_group wait");
  EXPECT_EQ(find_actor(f, "collector")->resource, "workers");
  EXPECT_EQ(find_actor(f, "collector")->mode, "all");
  ASSERT_EQ(f.cycle.size(), 2u); // the collector and the worker that blocked first
  EXPECT_NE(std::find(f.cycle.begin(), f.cycle.end(), "collector"), f.cycle.end());
  EXPECT_EQ(find_actor(f, f.cycle.front() == "collector" ? f.cycle.back() : f.cycle.front())->op,
            "chan send");
  EXPECT_EQ(outcome, 1);
}

TEST(WaitGroup, AWorkerWaitingForItsOwnGroupIsADefiniteSelfDeadlock) {
  report_dir dir;
  gridlock::wait_group wg("group");
  std::atomic<int> outcome{-1};
  wg.go("selfish", [&] { outcome = broken([&] { wg.wait(); }); }); // it owes a done() itself
  const auto findings = dir.wait_for_findings(1);
  wg.wait();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].certainty, "definite");
  EXPECT_EQ(findings[0].cycle, (std::vector<std::string>{"selfish"}));
  EXPECT_EQ(outcome, 1);
}

// Plain add(): gridlock cannot know who will call done(), so a wait for a slow worker started
// as a std::thread is no finding.
TEST(WaitGroup, WaitForAPlainThreadThatTakesItsTimeIsNoFinding) {
  report_dir dir;
  gridlock::wait_group wg("wg");
  wg.add(1);
  std::thread slow([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    wg.done();
  });
  gridlock::thread waiter("waiter", [&] { wg.wait(); });
  waiter.join();
  slow.join();
  EXPECT_TRUE(dir.reports().empty());
}
