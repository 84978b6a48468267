// gridlock::mutex: a Lockable mutex whose blocked lockers appear in the wait graph, so a mutex held
// across a blocking channel operation shows up in mixed lock/channel cycles.
//
// Semantics: non-recursive, like std::mutex (works with std::lock_guard / std::unique_lock /
// std::scoped_lock). Fair: once a thread has blocked, the mutex is handed directly to the oldest
// blocked thread on unlock, and newcomers cannot barge in ahead of it (FIFO).
//
// Cost: an uncontended lock() / unlock() is one CAS each plus a thread-local read, and never
// touches the wait graph. A lock() that blocks records one wait on the current owner.
//
// A lock() chosen as deadlock victim (on_deadlock=break) throws deadlock_error without locking.
//
// Reports name the line of each blocked lock() call. std::lock_guard and std::unique_lock call
// lock() from inside the standard library, so their reports point into <mutex>; use
// gridlock::lock_guard (below) to keep your own line.
//
// Thread-safety: as std::mutex.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/self.hpp>

#include <atomic>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

class mutex {
public:
  explicit mutex(std::string_view name = {},
                 gridlock::source_location where = gridlock::source_location::current());
  ~mutex();
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  void lock(gridlock::source_location where = gridlock::source_location::current()) {
    int expected = kFree;
    if (state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire)) {
      owner_.store(detail::self(), std::memory_order_relaxed);
      trace(GL_EV_LOCK);
      return;
    }
    lock_slow(where);
    trace(GL_EV_LOCK);
  }
  bool try_lock() noexcept {
    int expected = kFree;
    if (!state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire)) return false;
    owner_.store(detail::self(), std::memory_order_relaxed);
    trace(GL_EV_LOCK);
    return true;
  }
  void unlock() {
    trace(GL_EV_UNLOCK);
    owner_.store(0, std::memory_order_relaxed);
    int expected = kLocked;
    if (state_.compare_exchange_strong(expected, kFree, std::memory_order_release)) return;
    unlock_slow();
  }

private:
  // state_: kFree; kLocked (nobody blocked); kContended (locked, waiters queued: unlock must hand
  // the mutex to the oldest waiter, under mu_). state_ never goes from kContended to kFree while
  // waiters are queued, which is what forbids barging.
  static constexpr int kFree = 0, kLocked = 1, kContended = 2;

  void lock_slow(const gridlock::source_location &where);
  void trace(gl_event ev) const noexcept {
    if (gl_trace_on()) [[unlikely]]
      record(ev);
  }
  [[gnu::noinline, gnu::cold]] void record(gl_event ev) const noexcept {
    gl_trace_record(ev, 0, res_, 0, 0);
  }
  void unlock_slow();

  std::atomic<int> state_{kFree};
  std::atomic<gl_actor_id> owner_{0}; // 0 while free, or for an instant after a fast lock
  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  detail::wait_queue waiters_;
  const std::string name_;
  const gl_resource_id res_;
};

// std::lock_guard for gridlock::mutex that records the caller's line for reports.
class lock_guard {
public:
  explicit lock_guard(mutex &m,
                      gridlock::source_location where = gridlock::source_location::current())
      : m_(m) {
    m_.lock(where);
  }
  ~lock_guard() { m_.unlock(); }
  lock_guard(const lock_guard &) = delete;
  lock_guard &operator=(const lock_guard &) = delete;

private:
  mutex &m_;
};

} // namespace gridlock::inline GRIDLOCK_ABI
