// Timers (Go's package time): after, timer, ticker, after_func on the one timer thread, their use
// in select, and the Go bugs of a timer's channel read when nothing will come.
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using gridlock::testing::broken;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::until_blocked;
using clock_type = std::chrono::steady_clock;

TEST(Timer, AfterDeliversTheTimeOnceItIsDue) {
  const auto start = clock_type::now();
  auto rx = gridlock::after(20ms);
  const auto v = rx.recv();
  ASSERT_TRUE(v.has_value());
  EXPECT_GE(*v - start, 20ms);
  EXPECT_GE(clock_type::now() - start, 20ms);
  EXPECT_FALSE(rx.try_recv().has_value()); // once
}

TEST(Timer, TimersFireInDeadlineOrder) {
  gridlock::timer late(40ms), early(10ms);
  auto first = early.channel().recv();
  EXPECT_FALSE(late.channel().try_recv().has_value());
  auto second = late.channel().recv();
  ASSERT_TRUE(first && second);
  EXPECT_LT(*first, *second);
}

TEST(Timer, StopBeforeItFiresPreventsTheValue) {
  gridlock::timer t(10ms, "stopped");
  EXPECT_TRUE(t.stop());
  EXPECT_FALSE(t.stop());       // already stopped
  gridlock::after(40ms).recv(); // the wheel fires in order: t would have fired by now
  EXPECT_FALSE(t.channel().try_recv().has_value());
}

// Go's semantics before 1.23: stop() after the timer fired returns false and leaves the value in
// the channel (a later receive gets a stale time).
TEST(Timer, StopAfterItFiredDoesNotDrainTheChannel) {
  gridlock::timer t(5ms, "fired");
  gridlock::after(30ms).recv();
  EXPECT_FALSE(t.stop());
  EXPECT_TRUE(t.channel().try_recv().has_value());
}

TEST(Timer, ResetRearmsAStoppedTimer) {
  gridlock::timer t(1h, "reset");
  EXPECT_TRUE(t.stop());
  EXPECT_FALSE(t.reset(5ms)); // it was not armed
  EXPECT_TRUE(t.channel().recv().has_value());
  EXPECT_FALSE(t.reset(1h));
  EXPECT_TRUE(t.reset(1h)); // armed again
  EXPECT_TRUE(t.stop());
}

TEST(Timer, TickerTicksUntilStopped) {
  gridlock::ticker k(5ms, "heartbeat");
  auto rx = k.channel();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rx.recv().has_value());
  k.stop();
  while (rx.try_recv()) { // at most the one tick buffered before stop()
  }
  gridlock::after(30ms).recv();
  EXPECT_FALSE(rx.try_recv().has_value());
  EXPECT_THROW(gridlock::ticker(0ms), std::invalid_argument);
}

TEST(Timer, AfterFuncRunsAsItsOwnActorUnlessStopped) {
  std::atomic<gridlock::actor_id> ran_as{0};
  auto [tx, rx] = gridlock::make_channel<int>(1, "ran");
  auto t = gridlock::after_func(5ms, "callback", [&ran_as, tx]() mutable {
    ran_as = gridlock::this_actor();
    tx.send(1);
  });
  EXPECT_TRUE(rx.recv().has_value());
  EXPECT_NE(ran_as.load(), 0u);
  EXPECT_NE(ran_as.load(), gridlock::this_actor());
  std::atomic<bool> ran{false};
  auto stopped = gridlock::after_func(10ms, "never", [&ran] { ran = true; });
  EXPECT_TRUE(stopped.stop());
  gridlock::after(40ms).recv();
  EXPECT_FALSE(ran);
}

TEST(Timer, ATimeoutCaseInSelect) {
  auto [tx, rx] = gridlock::make_channel<int>(0, "silent");
  bool timed_out = false;
  gridlock::select sel;
  sel.recv(rx, [](std::optional<int>) { FAIL() << "nothing was sent"; });
  sel.recv(gridlock::after(10ms), [&](auto) { timed_out = true; });
  sel.wait();
  EXPECT_TRUE(timed_out);
}

TEST(Timer, ManyTimersAllFire) {
  std::vector<gridlock::receiver<gridlock::time_point>> rxs;
  for (int i = 0; i < 1000; ++i) rxs.push_back(gridlock::after(std::chrono::microseconds(i * 20)));
  for (auto &rx : rxs) EXPECT_TRUE(rx.recv().has_value());
}

// Waiting on a timer that will fire is no deadlock, however long it takes.
TEST(Timer, AReceiveOnAPendingTimerIsNoFinding) {
  report_dir dir;
  gridlock::thread sleeper("sleeper", [] { gridlock::after(300ms).recv(); });
  sleeper.join();
  EXPECT_TRUE(dir.reports().empty());
}

// The Go bug: a timer's channel received from twice (or after its value was drained).
TEST(Timer, ASecondReceiveFromAFiredTimerWaitsForNobody) {
  report_dir dir;
  std::atomic<int> outcome{-1};
  int line = 0;
  gridlock::thread waiter("waiter", [&] {
    gridlock::timer t(5ms, "retry");
    t.channel().recv();
    line = __LINE__ + 1;
    outcome = broken([&] { t.channel().recv(); }); // nothing will come again
  });
  const auto findings = dir.wait_for_findings(1);
  waiter.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  const auto *a = find_actor(f, "waiter");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->op, "chan receive");
  EXPECT_EQ(a->resource, "retry");
  EXPECT_EQ(a->where.line, static_cast<unsigned>(line));
  EXPECT_NE(a->note.find("timer 'retry' is stopped or has fired"), std::string::npos) << a->note;
  EXPECT_EQ(f.resources.at(0).kind, "timer");
  EXPECT_EQ(outcome, 1);
}

TEST(Timer, AReceiveFromAStoppedTimerWaitsForNobody) {
  report_dir dir;
  std::atomic<int> outcome{-1};
  gridlock::thread waiter("waiter", [&] {
    gridlock::timer t(1h, "idle");
    t.stop();
    outcome = broken([&] { t.channel().recv(); });
  });
  const auto findings = dir.wait_for_findings(1);
  waiter.join();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].actors.at(0).resource, "idle");
  EXPECT_EQ(outcome, 1);
}
