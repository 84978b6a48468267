// Contexts (Go's package context): cancellation fanning out, deadlines, and the waits on done()
// nobody can end any more (a lost cancel function) or that form a cycle.
#include "graph_probe.hpp"
#include "report_dir.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using gridlock::context_error;
using gridlock::testing::broken;
using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::sorted;

namespace {
bool closed(const gridlock::context &ctx) {
  return !ctx.done().recv_for(5s).has_value() && ctx.err() != context_error::none;
}
} // namespace

TEST(Context, CancelClosesDoneOnce) {
  auto [ctx, cancel] = gridlock::with_cancel(gridlock::background(), "job");
  EXPECT_EQ(ctx.err(), context_error::none);
  cancel();
  cancel(); // again: nothing
  EXPECT_TRUE(closed(ctx));
  EXPECT_EQ(ctx.err(), context_error::canceled);
  EXPECT_STREQ(gridlock::to_string(ctx.err()), "context canceled");
}

TEST(Context, CancellingAParentCancelsEveryDescendant) {
  auto [parent, cancel_parent] = gridlock::with_cancel(gridlock::background(), "parent");
  auto [child, cancel_child] = gridlock::with_cancel(parent, "child");
  auto [grandchild, cancel_grandchild] = gridlock::with_timeout(child, 1h, "grandchild");
  cancel_parent();
  EXPECT_TRUE(closed(child));
  EXPECT_TRUE(closed(grandchild));
  EXPECT_EQ(grandchild.err(), context_error::canceled);
  auto [late, cancel_late] = gridlock::with_cancel(parent, "late");
  EXPECT_EQ(late.err(), context_error::canceled); // derived from a cancelled one: at once
}

TEST(Context, CancellingAChildLeavesItsParentAlone) {
  auto [parent, cancel_parent] = gridlock::with_cancel(gridlock::background(), "parent");
  auto [child, cancel_child] = gridlock::with_cancel(parent, "child");
  cancel_child();
  EXPECT_TRUE(closed(child));
  EXPECT_EQ(parent.err(), context_error::none);
  cancel_parent();
}

TEST(Context, ATimeoutExpires) {
  const auto start = std::chrono::steady_clock::now();
  auto [ctx, cancel] = gridlock::with_timeout(gridlock::background(), 20ms, "request");
  EXPECT_TRUE(closed(ctx));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_EQ(ctx.err(), context_error::deadline_exceeded);
  cancel(); // after expiry: the error stays
  EXPECT_EQ(ctx.err(), context_error::deadline_exceeded);
}

TEST(Context, DeadlinesAreInheritedWhenEarlier) {
  auto [parent, cancel_parent] = gridlock::with_timeout(gridlock::background(), 1h, "parent");
  auto [child, cancel_child] = gridlock::with_timeout(parent, 2h, "child");
  EXPECT_EQ(child.deadline(), parent.deadline());
  auto [past, cancel_past] =
      gridlock::with_deadline(gridlock::background(), std::chrono::steady_clock::now() - 1s);
  EXPECT_EQ(past.err(), context_error::deadline_exceeded);
  EXPECT_FALSE(gridlock::background().deadline().has_value());
  EXPECT_EQ(gridlock::background().err(), context_error::none);
  cancel_parent();
}

TEST(Context, DoneWorksInSelect) {
  auto [ctx, cancel] = gridlock::with_timeout(gridlock::background(), 10ms, "deadline");
  auto [tx, rx] = gridlock::make_channel<int>(0, "work");
  bool stopped = false;
  gridlock::select sel;
  sel.recv(rx, [](std::optional<int>) { FAIL(); });
  sel.recv(ctx.done(), [&](auto) { stopped = true; });
  sel.wait();
  EXPECT_TRUE(stopped);
}

// A worker waits for a cancellation that main can still make: no finding.
TEST(Context, WaitingWhileTheCancellerRunsIsNoFinding) {
  report_dir dir;
  auto [ctx, cancel] = gridlock::with_cancel(gridlock::background(), "session");
  gridlock::thread worker(
      "worker", [](gridlock::context c) { c.done().recv(); }, ctx);
  ASSERT_TRUE(gridlock::testing::until_blocked("chan receive"));
  std::this_thread::sleep_for(300ms); // several detection periods: nothing is reported
  cancel();
  worker.join();
  EXPECT_TRUE(dir.reports().empty());
}

// go vet's lostcancel, at run time: every handle of the cancel function is gone uncalled.
TEST(Context, AWaitWhoseCancelFunctionWasLostIsReported) {
  report_dir dir;
  std::atomic<int> outcome{-1};
  int line = 0;
  gridlock::context ctx = gridlock::background();
  {
    auto [c, cancel] = gridlock::with_cancel(gridlock::background(), "lost");
    ctx = c;
  } // the cancel function is dropped here: the bug
  gridlock::thread worker(
      "worker",
      [&](gridlock::context c) {
        outcome = broken([&] {
          line = __LINE__ + 1;
          c.done().recv();
        });
      },
      ctx);
  const auto findings = dir.wait_for_findings(1);
  worker.join();
  ASSERT_EQ(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  const auto *a = find_actor(f, "worker");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->op, "chan receive");
  EXPECT_EQ(a->resource, "lost");
  EXPECT_EQ(a->where.line, static_cast<unsigned>(line));
  EXPECT_NE(a->note.find("cancel function lost"), std::string::npos) << a->note;
  EXPECT_EQ(f.resources.at(0).kind, "context");
  EXPECT_EQ(outcome, 1);
}

// A derived context is cancelled by whoever can cancel its parent. Here that is the canceller,
// given the parent's cancel function, and it waits for the worker, which waits on the child.
TEST(Context, ACancellerWaitingForTheWaiterIsADefiniteCycle) {
  report_dir dir;
  auto [parent, cancel_parent] = gridlock::with_cancel(gridlock::background(), "server");
  auto [child, cancel_child] = gridlock::with_cancel(parent, "request");
  { const auto dropped = std::move(cancel_child); } // only the parent's canceller is left
  auto [ack_tx, ack_rx] = gridlock::make_channel<int>(0, "ack");
  gridlock::thread worker(
      "worker",
      [](gridlock::context c, gridlock::sender<int> ack) {
        try {
          c.done().recv(); // waits for the canceller
          ack.send(1);
        } catch (const gridlock::deadlock_error &) {
        } catch (const gridlock::channel_closed &) { // the canceller was broken and has gone
        }
      },
      child, std::move(ack_tx));
  gridlock::thread canceller(
      "canceller",
      [](gridlock::cancel_func cancel, gridlock::receiver<int> ack) {
        try {
          ack.recv(); // the bug: waits for the worker before it cancels
        } catch (const gridlock::deadlock_error &) {
        }
        cancel();
      },
      std::move(cancel_parent), std::move(ack_rx));
  const auto findings = dir.wait_for_findings(1);
  worker.join();
  canceller.join();
  ASSERT_GE(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"canceller", "worker"}));
  ASSERT_NE(find_actor(f, "worker"), nullptr);
  EXPECT_EQ(find_actor(f, "worker")->resource, "request");
  EXPECT_EQ(find_actor(f, "worker")->waits_for, (std::vector<std::string>{"canceller"}));
}
