// gridlock::wait_group: Go's sync.WaitGroup - wait until a counter of outstanding work drops to
// zero - with its waits in the wait graph.
//
//   gridlock::wait_group wg("workers");
//   for (int i = 0; i < 4; ++i) wg.go("worker-" + std::to_string(i), work, i);
//   wg.wait();
//
// Semantics: as Go. add(n) adds n (which may be negative) to the counter; done() is add(-1);
// wait() blocks until the counter is zero, and returns at once if it is. go(name, f, args...) is
// Go 1.25's WaitGroup.Go: add(1), then f(args...) on a new detached gridlock::thread (arguments
// as gridlock::thread takes them: channel handles belong to the new actor) that calls done()
// when f returns. Reusing a wait_group for a new round is fine once every wait() has returned.
//
// Who releases whom: wait() waits for every actor started with go() that has not finished yet
// (an AND wait, exact: a worker that blocks forever is a definite deadlock), and, if the counter
// holds more than those owe (plain add()), for any other actor (gridlock cannot know who will
// call done(): reported only when the whole process is stuck). A wait() by a go() worker of the
// same wait_group is a definite self-deadlock.
//
// Cost: add()/done() are one atomic read-modify-write when nobody waits; wait() on a zero counter
// is one load. Only a wait() that blocks touches the wait graph.
//
// Errors: a counter that would go negative throws std::logic_error (the counter is left as it
// was). A wait() chosen as deadlock victim (on_deadlock=break) throws deadlock_error.
//
// Thread-safety: every member may be called from any thread concurrently. Destroying a
// wait_group while go() workers still run is undefined, as destroying a mutex that is held.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/thread.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace gridlock::inline GRIDLOCK_ABI {

class wait_group {
public:
  explicit wait_group(std::string_view name = {},
                      std::source_location where = std::source_location::current());
  ~wait_group();
  wait_group(const wait_group &) = delete;
  wait_group &operator=(const wait_group &) = delete;

  void add(int n) {
    const std::uint64_t delta = static_cast<std::uint64_t>(static_cast<std::int64_t>(n)) << 32;
    const std::uint64_t s = state_.fetch_add(delta, std::memory_order_acq_rel);
    const std::int64_t count = static_cast<std::int32_t>(s >> 32) + std::int64_t{n};
    if (count < 0) negative(delta);
    if (count == 0 && (s & kWaiters) != 0) wake_waiters();
  }
  void done() { add(-1); }

  void wait(std::source_location where = std::source_location::current()) {
    if ((state_.load(std::memory_order_acquire) >> 32) != 0) wait_slow(where);
  }

  template <class F, class... Args> void go(thread_name name, F &&f, Args &&...args) {
    go_owed_.fetch_add(1, std::memory_order_relaxed);
    add(1);
    thread t(
        name,
        [this, fn = std::forward<F>(f)](auto &&...a) mutable {
          gl_shared_acquire(res_); // owes a done(): a holder wait() waits for
          std::invoke(std::move(fn), std::forward<decltype(a)>(a)...);
          gl_shared_release(res_);
          go_owed_.fetch_sub(1, std::memory_order_relaxed);
          done();
        },
        std::forward<Args>(args)...);
    t.detach();
  }

private:
  // state_: the counter (signed) in the high 32 bits, the number of blocked waiters in the low
  // ones, so add() learns in its one RMW whether anybody waits. Waiters register under mu_ with
  // a CAS on a non-zero counter; the add() that brings it to zero then takes mu_ and wakes them.
  static constexpr std::uint64_t kWaiters = 0xffffffffu;

  [[noreturn]] void negative(std::uint64_t delta);
  void wait_slow(const std::source_location &where);
  void wake_waiters() noexcept;

  std::atomic<std::uint64_t> state_{0};
  std::atomic<std::int64_t> go_owed_{0}; // done() calls owed by go() workers still running
  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  detail::wait_queue waiters_; // mu_
  const std::string name_;
  const gl_resource_id res_;
};

} // namespace gridlock::inline GRIDLOCK_ABI
