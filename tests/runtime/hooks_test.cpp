// The C hook API used directly, as an adapter for somebody else's queue would: the plain
// mutex + condition_variable queue of examples/hook_adapter_queue.hpp deadlocks and is reported,
// and on_deadlock=break interrupts it through its wake callback.
#include "hook_adapter_queue.hpp"
#include "report_dir.hpp"

#include <gridlock/hooks.h>
#include <gridlock/thread.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <source_location>

using gridlock::testing::find_actor;
using gridlock::testing::report_dir;
using gridlock::testing::sorted;

TEST(Hooks, AdapterQueueReceiveReceiveCycleIsReportedAndBroken) {
  report_dir dir;
  instrumented_queue<int> to_a("to-a"), to_b("to-b");
  std::optional<int> a_got = 0, b_got = 0;
  std::atomic<int> pop_line{0};
  auto peer = [&](instrumented_queue<int> &mine, instrumented_queue<int> &theirs,
                  std::optional<int> &got) {
    theirs.i_will_push();
    pop_line = __LINE__ + 1;
    got = mine.pop(); // both pop first: each waits for the other's push
    if (got) theirs.push(1);
    theirs.i_am_done_pushing();
  };
  gridlock::thread a("A", [&] { peer(to_a, to_b, a_got); });
  gridlock::thread b("B", [&] { peer(to_b, to_a, b_got); });
  const auto findings = dir.wait_for_findings(1);
  a.join();
  b.join();
  ASSERT_GE(findings.size(), 1u);
  const auto &f = findings[0];
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(find_actor(f, "A")->op, "wait");
  EXPECT_EQ(find_actor(f, "A")->resource, "to-a");
  EXPECT_EQ(find_actor(f, "B")->resource, "to-b");
  EXPECT_EQ(find_actor(f, "A")->where.line, static_cast<unsigned>(pop_line.load()));
  // The victim's pop returned nullopt; the other one then got the victim's push... or was broken
  // by a later report: either way nobody is stuck and someone was broken.
  EXPECT_TRUE(!a_got || !b_got);
}
