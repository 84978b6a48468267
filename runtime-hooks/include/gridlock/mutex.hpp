// gridlock::mutex: a Lockable mutex whose blocked lockers appear in the wait graph, so a mutex held
// across a blocking channel operation shows up in mixed lock/channel cycles.
//
// Semantics: non-recursive, like std::mutex (works with std::lock_guard / std::unique_lock /
// std::scoped_lock). Eventually fair, as Rust's parking_lot: an unlock wakes the oldest parked
// locker but lets a running thread take the mutex first (barging keeps contended throughput near
// std::mutex), except that a locker parked for kFairAfter (0.5 ms) or longer is handed the mutex
// directly, so no locker waits unboundedly behind a stream of others.
//
// Cost: an uncontended lock() / unlock() is one CAS each plus a thread-local read, and never
// touches the wait graph. A contended lock() spins briefly, then parks; only a park records a wait
// on the owner (the detector reads the owner from the mutex itself, gl_owner_watch, so no lock or
// unlock publishes it).
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
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/self.hpp>
#include <gridlock/detail/trace.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

class mutex {
public:
  // A locker parked this long is handed the mutex by the next unlock.
  static constexpr std::chrono::microseconds kFairAfter{500};

  explicit mutex(std::string_view name = {},
                 std::source_location where = std::source_location::current());
  ~mutex();
  mutex(const mutex &) = delete;
  mutex &operator=(const mutex &) = delete;

  void lock(std::source_location where = std::source_location::current()) {
    unsigned expected = 0;
    if (state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire)) {
      set_owner(detail::self());
    } else {
      lock_slow(where);
    }
    detail::lock_taken(res_, where, false);
    trace(GL_EV_LOCK);
  }
  bool try_lock(std::source_location where = std::source_location::current()) noexcept {
    for (unsigned s = state_.load(std::memory_order_relaxed); !(s & kLocked);)
      if (state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire)) {
        set_owner(detail::self());
        detail::lock_taken(res_, where, true);
        trace(GL_EV_LOCK);
        return true;
      }
    return false;
  }
  void unlock() {
    detail::lock_let_go(res_);
    trace(GL_EV_UNLOCK);
    set_owner(0);
    unsigned expected = kLocked;
    if (state_.compare_exchange_strong(expected, 0, std::memory_order_release)) return;
    unlock_slow();
  }

private:
  // state_ bits: kLocked (someone owns it); kParked (lockers are queued in waiters_, so unlock()
  // must take mu_ to wake one). kParked is set and cleared only under mu_.
  static constexpr unsigned kLocked = 1, kParked = 2;

  void lock_slow(const std::source_location &where);
  void unlock_slow();
  bool try_acquire(unsigned &s) noexcept {
    if (s & kLocked) return false;
    if (!state_.compare_exchange_weak(s, s | kLocked, std::memory_order_acquire)) return false;
    set_owner(detail::self());
    return true;
  }
  void set_owner(gl_actor_id a) noexcept {
    std::atomic_ref<gl_actor_id>(owner_).store(a, std::memory_order_relaxed);
  }
  void trace(gl_event ev) const noexcept { detail::trace(ev, res_); }

  std::atomic<unsigned> state_{0};
  // The owner (0 while free, or for an instant after a lock); written through atomic_ref, read
  // by the detector (gl_owner_watch).
  alignas(std::atomic_ref<gl_actor_id>::required_alignment) gl_actor_id owner_ = 0;
  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  detail::wait_queue waiters_; // mu_
  const std::string name_;
  const gl_resource_id res_;
};

// std::lock_guard for gridlock::mutex (or gridlock::shared_mutex, exclusively) that records the
// caller's line for reports.
template <class Mutex = mutex> class lock_guard {
public:
  explicit lock_guard(Mutex &m, std::source_location where = std::source_location::current())
      : m_(m) {
    m_.lock(where);
  }
  ~lock_guard() { m_.unlock(); }
  lock_guard(const lock_guard &) = delete;
  lock_guard &operator=(const lock_guard &) = delete;

private:
  Mutex &m_;
};

} // namespace gridlock::inline GRIDLOCK_ABI
