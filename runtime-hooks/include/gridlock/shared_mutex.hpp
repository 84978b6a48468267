// gridlock::shared_mutex: a reader/writer lock (SharedLockable, as std::shared_mutex) whose
// blocked lockers appear in the wait graph.
//
// Policy (rw_policy::prefer_writers, the default: Go's sync.RWMutex): a writer that is waiting
// blocks new readers, so a steady stream of readers cannot starve it; when a writer unlocks, the
// readers that queued meanwhile go first, then the next writer, so writers cannot starve readers
// either. A consequence, as in Go: a reader that takes the read lock a second time while a writer
// waits deadlocks (the writer waits for it, it waits for the writer); gridlock reports that
// cycle. rw_policy::prefer_readers lets readers in whenever no writer holds the lock (glibc's
// default for pthread rwlocks, hence std::shared_mutex's): writers can starve, and the fairness
// monitor says so.
//
// Who releases whom: a blocked writer waits for every holder (an AND wait over the readers and
// the writer holding it); a blocked reader waits for the writer holding it and, under
// prefer_writers, for the oldest waiting writer. Both are definite: holders are known exactly.
//
// Cost: an uncontended lock_shared() / unlock_shared() is one atomic read-modify-write each plus
// one relaxed store into the caller's table of shared holdings (gl_shared_acquire); lock() /
// unlock() one CAS each. None touches the wait graph; only a locker that parks records a wait.
// Once someone is parked, every lock and unlock takes the internal lock (hand-off under it).
//
// Errors: not recursive in either mode. A read lock must be released by the thread that took it
// (as std::shared_mutex; Go allows otherwise, gridlock then keeps the first thread as a holder).
// A lock chosen as deadlock victim (on_deadlock=break) throws deadlock_error without locking.
//
// Reports name the line of each blocked lock call. std::shared_lock / std::unique_lock call from
// inside the standard library; gridlock::shared_lock_guard / gridlock::lock_guard keep your line.
//
// Thread-safety: as std::shared_mutex.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/self.hpp>
#include <gridlock/detail/trace.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

enum class rw_policy { prefer_writers, prefer_readers };

class shared_mutex {
public:
  explicit shared_mutex(std::string_view name = {}, rw_policy policy = rw_policy::prefer_writers,
                        std::source_location where = std::source_location::current());
  explicit shared_mutex(rw_policy policy,
                        std::source_location where = std::source_location::current())
      : shared_mutex({}, policy, where) {}
  ~shared_mutex();
  shared_mutex(const shared_mutex &) = delete;
  shared_mutex &operator=(const shared_mutex &) = delete;

  void lock(std::source_location where = std::source_location::current()) {
    std::uint32_t expected = 0;
    if (state_.compare_exchange_strong(expected, kWriter, std::memory_order_acquire))
      set_owner(detail::self());
    else
      lock_slow(where);
    detail::trace(GL_EV_LOCK, res_);
  }
  bool try_lock() noexcept {
    std::uint32_t expected = 0;
    if (!state_.compare_exchange_strong(expected, kWriter, std::memory_order_acquire)) return false;
    set_owner(detail::self());
    detail::trace(GL_EV_LOCK, res_);
    return true;
  }
  void unlock() {
    detail::trace(GL_EV_UNLOCK, res_);
    set_owner(0);
    std::uint32_t expected = kWriter;
    if (!state_.compare_exchange_strong(expected, 0, std::memory_order_release)) unlock_slow(true);
  }

  void lock_shared(std::source_location where = std::source_location::current()) {
    if (try_lock_shared()) return;
    lock_shared_slow(where);
    detail::trace(GL_EV_READ_LOCK, res_);
  }
  bool try_lock_shared() noexcept {
    for (std::uint32_t s = state_.load(std::memory_order_relaxed); !(s & blocks_readers_);)
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) {
        gl_shared_acquire(res_);
        if (s & kParked) [[unlikely]] // prefer_readers: in past a waiting writer
          std::atomic_ref<std::uint64_t>(readers_past_).fetch_add(1, std::memory_order_relaxed);
        detail::trace(GL_EV_READ_LOCK, res_);
        return true;
      }
    return false;
  }
  void unlock_shared() {
    detail::trace(GL_EV_READ_UNLOCK, res_);
    gl_shared_release(res_);
    const std::uint32_t s = state_.fetch_sub(1, std::memory_order_release);
    if ((s & kReaders) == 1 && (s & kParked)) unlock_slow(false);
  }

private:
  // state_: kWriter (a writer holds it), kParked (lockers are queued: every unlock must take mu_
  // and hand the lock on), and the number of readers holding it in the low bits. kParked is set
  // by a locker about to park with a CAS on the exact state it saw, so an unlock that races with
  // it either sees kParked or makes the CAS fail; it is cleared only under mu_.
  static constexpr std::uint32_t kWriter = 1u << 31, kParked = 1u << 30, kReaders = kParked - 1;

  void lock_slow(const std::source_location &where);
  void lock_shared_slow(const std::source_location &where);
  void unlock_slow(bool after_writer);
  bool can_read(std::uint32_t s) const noexcept;
  bool park(std::uint32_t &s) noexcept;
  void set_owner(gl_actor_id a) noexcept {
    std::atomic_ref<gl_actor_id>(owner_).store(a, std::memory_order_relaxed);
  }

  std::atomic<std::uint32_t> state_{0};
  // The state bits that send lock_shared() to the slow path: a writer holding it, and under
  // prefer_writers anybody parked (perhaps a writer).
  const std::uint32_t blocks_readers_;
  const rw_policy policy_;
  alignas(std::atomic_ref<gl_actor_id>::required_alignment) gl_actor_id owner_ = 0; // the writer
  // Readers let in while lockers were parked (prefer_readers): the fairness monitor's bypass
  // count for a waiting writer (gl_served_watch).
  alignas(std::atomic_ref<std::uint64_t>::required_alignment) std::uint64_t readers_past_ = 0;
  detail::ranked_mutex<detail::lock_rank::primitive> mu_;
  detail::wait_queue readers_; // mu_
  detail::wait_queue writers_; // mu_
  const std::string name_;
  const gl_resource_id res_;
};

// std::shared_lock for gridlock::shared_mutex that records the caller's line for reports.
class shared_lock_guard {
public:
  explicit shared_lock_guard(shared_mutex &m,
                             std::source_location where = std::source_location::current())
      : m_(m) {
    m_.lock_shared(where);
  }
  ~shared_lock_guard() { m_.unlock_shared(); }
  shared_lock_guard(const shared_lock_guard &) = delete;
  shared_lock_guard &operator=(const shared_lock_guard &) = delete;

private:
  shared_mutex &m_;
};

} // namespace gridlock::inline GRIDLOCK_ABI
