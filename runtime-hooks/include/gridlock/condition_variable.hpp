// gridlock::condition_variable: std::condition_variable_any's interface (and Go's sync.Cond),
// with blocked waiters in the wait graph.
//
// Semantics: as std::condition_variable_any, over any BasicLockable the caller holds: a
// std::unique_lock<gridlock::mutex>, a std::shared_lock<gridlock::shared_mutex> (Go's
// RWMutex.RLocker()), a gridlock::mutex itself, a user's own lock type. wait() atomically
// releases the lock and blocks until notified; it re-acquires the lock before it returns, also
// when it throws. No spurious wake-ups (a wait ends only when notified, timed out or broken), but
// use the predicate forms all the same: a notification is not a promise that the state changed.
// notify_one() wakes the oldest waiter; a notification with nobody waiting is lost, as in Go.
//
// Who releases whom: a waiter waits for the actors that have notified this condition variable
// before (detail::notifiers) - probable, reported but never acted on; until one is known, for
// someone unseen. When every actor that ever notified it has exited, a waiter waits for nobody:
// reported as a lost wake-up (a Cond.Wait whose Signal already happened). wait_for/wait_until
// waits are timed: live. Re-acquiring the lock is the lock's own wait.
//
// Cost: notify_one()/notify_all() with nobody waiting are notifiers::note() and one load. A
// wait takes the internal lock and records a wait; it always blocks.
//
// Errors: a wait chosen as deadlock victim (on_deadlock=break) re-acquires the lock and throws
// deadlock_error.
//
// Thread-safety: as std::condition_variable_any.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/notifiers.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

class condition_variable {
public:
  explicit condition_variable(std::string_view name = {},
                              std::source_location where = std::source_location::current());
  ~condition_variable();
  condition_variable(const condition_variable &) = delete;
  condition_variable &operator=(const condition_variable &) = delete;

  void notify_one() noexcept {
    notifiers_.note();
    if (waiting_.load(std::memory_order_seq_cst) != 0) notify_slow(false);
  }
  void notify_all() noexcept {
    notifiers_.note();
    if (waiting_.load(std::memory_order_seq_cst) != 0) notify_slow(true);
  }

  template <class Lock>
  void wait(Lock &lock, std::source_location where = std::source_location::current()) {
    wait_impl(lock, std::nullopt, where);
  }
  template <class Lock, class Predicate>
  void wait(Lock &lock, Predicate pred,
            std::source_location where = std::source_location::current()) {
    while (!pred()) wait_impl(lock, std::nullopt, where);
  }
  template <class Lock, class Clock, class Duration>
  std::cv_status wait_until(Lock &lock, const std::chrono::time_point<Clock, Duration> &t,
                            std::source_location where = std::source_location::current()) {
    return wait_impl(lock, deadline_of(t - Clock::now()), where) ? std::cv_status::no_timeout
                                                                 : std::cv_status::timeout;
  }
  template <class Lock, class Clock, class Duration, class Predicate>
  bool wait_until(Lock &lock, const std::chrono::time_point<Clock, Duration> &t, Predicate pred,
                  std::source_location where = std::source_location::current()) {
    const auto deadline = deadline_of(t - Clock::now());
    while (!pred())
      if (!wait_impl(lock, deadline, where)) return pred();
    return true;
  }
  template <class Lock, class Rep, class Period>
  std::cv_status wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &d,
                          std::source_location where = std::source_location::current()) {
    return wait_impl(lock, deadline_of(d), where) ? std::cv_status::no_timeout
                                                  : std::cv_status::timeout;
  }
  template <class Lock, class Rep, class Period, class Predicate>
  bool wait_for(Lock &lock, const std::chrono::duration<Rep, Period> &d, Predicate pred,
                std::source_location where = std::source_location::current()) {
    const auto deadline = deadline_of(d);
    while (!pred())
      if (!wait_impl(lock, deadline, where)) return pred();
    return true;
  }

private:
  using clock = detail::parker::clock;
  template <class Rep, class Period>
  static clock::time_point deadline_of(const std::chrono::duration<Rep, Period> &d) {
    return clock::now() + std::chrono::ceil<clock::duration>(d);
  }

  // Enqueues under mu_, then releases mu_ and the caller's lock, in that order (block_on's first
  // unlock): a notify after the caller's unlock finds the waiter queued.
  template <class Lock> struct release_both {
    std::unique_lock<detail::ranked_mutex<detail::lock_rank::primitive>> &mine;
    Lock &theirs;
    bool first = true;
    void lock() { mine.lock(); }
    void unlock() {
      mine.unlock();
      if (first) {
        first = false;
        theirs.unlock();
      }
    }
  };

  // True if notified, false if timed out; throws deadlock_error if broken. Holds `lock` again
  // when it returns or throws.
  template <class Lock>
  bool wait_impl(Lock &lock, std::optional<clock::time_point> deadline,
                 const std::source_location &where) {
    std::unique_lock mine(mu_);
    waiting_.fetch_add(1, std::memory_order_seq_cst);
    detail::waiter_node n;
    release_both<Lock> both{mine, lock};
    const auto r =
        detail::block_on(both, waiters_, n, describe(deadline.has_value(), where), deadline);
    if (r != detail::block_result::served) waiting_.fetch_sub(1, std::memory_order_seq_cst);
    lock.lock();
    if (r == detail::block_result::broken) detail::throw_broken(GL_OP_COND_WAIT);
    return r == detail::block_result::served;
  }
  gl_wait_desc describe(bool timed, const std::source_location &where) const noexcept {
    return detail::describe(GL_OP_COND_WAIT, &target_, 1, false, timed, where);
  }
  void notify_slow(bool all) noexcept;

  std::atomic<int> waiting_{0}; // queued waiters: incremented under mu_, decremented by whoever
                                // unqueues a node (a notifier, or the waiter after a timeout)
  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  detail::wait_queue waiters_; // mu_
  const std::string name_;
  const gl_resource_id res_;
  const gl_target target_{GL_TARGET_HOLDERS, 0, res_, GL_END_SEND};
  detail::notifiers notifiers_;
};

} // namespace gridlock::inline GRIDLOCK_ABI
