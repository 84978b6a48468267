// gridlock::call_once: std::call_once semantics, and recursion on one flag reported.
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using gridlock::testing::broken;
using gridlock::testing::report_dir;
using gridlock::testing::until_blocked;

TEST(Once, RunsExactlyOnceAmongConcurrentCallers) {
  gridlock::once_flag flag("init");
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      gridlock::call_once(
          flag, [&](int by) { runs += by; }, 1);
    });
  for (auto &t : threads) t.join();
  EXPECT_EQ(runs, 1);
}

TEST(Once, CallersWaitForTheRunningInitialisation) {
  gridlock::once_flag flag("slow init");
  std::atomic<bool> running{false}, release{false}, initialised{false};
  std::thread first([&] {
    gridlock::call_once(flag, [&] {
      running = true;
      while (!release) std::this_thread::yield();
      initialised = true;
    });
  });
  while (!running) std::this_thread::yield();
  std::thread second([&] {
    gridlock::call_once(flag, [] { ADD_FAILURE() << "ran twice"; });
    EXPECT_TRUE(initialised);
  });
  ASSERT_TRUE(until_blocked("call_once"));
  release = true;
  second.join();
  first.join();
}

TEST(Once, AThrowingCallLeavesTheFlagUnsetForTheNextCaller) {
  gridlock::once_flag flag("flaky");
  EXPECT_THROW(gridlock::call_once(flag, [] { throw std::runtime_error("no"); }),
               std::runtime_error);
  int runs = 0;
  gridlock::call_once(flag, [&] { ++runs; });
  gridlock::call_once(flag, [&] { ++runs; });
  EXPECT_EQ(runs, 1);
}

TEST(Once, RecursionOnTheSameFlagIsADefiniteSelfDeadlock) {
  report_dir dir;
  gridlock::once_flag flag("config");
  std::atomic<int> outcome{-1};
  gridlock::thread t("loader", [&] {
    outcome = broken([&] { gridlock::call_once(flag, [&] { gridlock::call_once(flag, [] {}); }); });
  });
  const auto findings = dir.wait_for_findings(1);
  t.join();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].certainty, "definite");
  EXPECT_EQ(findings[0].cycle, (std::vector<std::string>{"loader"}));
  EXPECT_EQ(findings[0].actors.at(0).op, "call_once");
  EXPECT_EQ(findings[0].actors.at(0).resource, "config");
  EXPECT_EQ(outcome, 1);
}
