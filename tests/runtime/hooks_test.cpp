// The C hook API used directly, as an adapter for somebody else's queue would: a plain
// mutex + condition_variable queue, instrumented with gl_* calls, deadlocks and is reported, and
// on_deadlock=break interrupts it through its wake callback.
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

namespace {

// A user's own blocking queue, instrumented with the hooks: pop() blocks while empty.
class instrumented_queue {
public:
  explicit instrumented_queue(const char *name) : res_(gl_resource_create("queue", name, -1)) {}
  ~instrumented_queue() { gl_resource_destroy(res_); }

  // The calling actor will push into this queue: it holds the send end.
  void producer_is_me() { gl_end_hold(res_, GL_END_SEND, gl_actor_self(), GL_HOLD_EXACT); }
  void producer_done() { gl_end_release(res_, GL_END_SEND, gl_actor_self(), GL_HOLD_EXACT); }

  void push(int v) {
    std::lock_guard lk(mu_);
    items_.push_back(v);
    if (waiting_) gl_wait_released(waiting_); // before waking the waiter
    cv_.notify_one();
  }

  // std::nullopt if the detector broke the wait.
  std::optional<int> pop(std::source_location where = std::source_location::current()) {
    std::unique_lock lk(mu_);
    if (items_.empty()) { // really blocks: record the wait, under our own lock
      const gl_target t{GL_TARGET_HOLDERS, 0, res_, GL_END_SEND};
      const gl_wait_desc d{GL_OP_CUSTOM,
                           0,
                           0,
                           &t,
                           1,
                           {where.file_name(), where.function_name(), where.line(), 0},
                           &instrumented_queue::wake,
                           this};
      waiting_ = gl_wait_begin(&d);
      cv_.wait(lk, [&] { return !items_.empty() || broken_; });
      const gl_wait_t w = waiting_;
      waiting_ = nullptr;
      lk.unlock();
      const bool broken = gl_wait_end(w) != 0;
      lk.lock();
      if (broken && items_.empty()) return std::nullopt;
    }
    const int v = items_.front();
    items_.pop_front();
    return v;
  }

private:
  static void wake(void *self) {
    auto *q = static_cast<instrumented_queue *>(self);
    std::lock_guard lk(q->mu_);
    q->broken_ = true;
    q->cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> items_;
  gl_wait_t waiting_ = nullptr; // one consumer at a time in this small example
  bool broken_ = false;
  gl_resource_id res_;
};

} // namespace

TEST(Hooks, AdapterQueueReceiveReceiveCycleIsReportedAndBroken) {
  report_dir dir;
  instrumented_queue to_a("to-a"), to_b("to-b");
  std::optional<int> a_got = 0, b_got = 0;
  std::atomic<int> pop_line{0};
  auto peer = [&](instrumented_queue &mine, instrumented_queue &theirs, std::optional<int> &got) {
    theirs.producer_is_me();
    pop_line = __LINE__ + 1;
    got = mine.pop(); // both pop first: each waits for the other's push
    if (got) theirs.push(1);
    theirs.producer_done();
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
