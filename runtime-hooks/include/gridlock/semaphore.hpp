// gridlock::counting_semaphore / binary_semaphore: std::counting_semaphore's interface, with
// blocked acquirers in the wait graph.
//
// Semantics: as std::counting_semaphore. Ownerless: any actor may release (Go's "unlock a mutex
// from another goroutine" idiom is a binary_semaphore). acquire() blocks while the count is 0;
// release(n) adds n and hands permits to blocked acquirers, oldest first.
//
// Who releases whom: an acquirer waits for the actors that have released this semaphore before
// (detail::notifiers) - probable, reported but never acted on. Until one is known, it waits for
// someone unseen (reported only when the whole process is stuck). When every releaser it had has
// exited, it waits for nobody: reported as a lost wake-up. try_acquire_for/until waits are timed:
// live, never part of a deadlock.
//
// Cost: an uncontended acquire() is one CAS; release() one fetch_add and one load when nobody is
// parked, plus notifiers::note() (a thread-local read and up to four relaxed loads; the graph lock
// the first time an actor releases). Neither touches the wait graph otherwise.
//
// Errors: an acquire() chosen as deadlock victim (on_deadlock=break) throws deadlock_error
// without taking a permit. release(n) with n < 0 throws std::invalid_argument.
//
// Thread-safety: every member may be called from any thread concurrently.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/lock_order.hpp>
#include <gridlock/detail/notifiers.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

namespace detail {
// Everything but the compile-time maximum.
class semaphore_core {
public:
  semaphore_core(std::ptrdiff_t initial, std::string_view name, std::source_location where);
  ~semaphore_core();
  semaphore_core(const semaphore_core &) = delete;
  semaphore_core &operator=(const semaphore_core &) = delete;

  void acquire(std::source_location where = std::source_location::current()) {
    if (!try_acquire()) acquire_slow(std::nullopt, where);
  }
  bool try_acquire() noexcept {
    for (std::ptrdiff_t c = count_.load(std::memory_order_relaxed); c > 0;)
      if (count_.compare_exchange_weak(c, c - 1, std::memory_order_acquire)) return true;
    return false;
  }
  template <class Rep, class Period>
  bool try_acquire_for(const std::chrono::duration<Rep, Period> &d,
                       std::source_location where = std::source_location::current()) {
    return try_acquire() ||
           acquire_slow(parker::clock::now() + std::chrono::ceil<parker::clock::duration>(d),
                        where);
  }
  template <class Clock, class Duration>
  bool try_acquire_until(const std::chrono::time_point<Clock, Duration> &t,
                         std::source_location where = std::source_location::current()) {
    return try_acquire_for(t - Clock::now(), where);
  }
  void release(std::ptrdiff_t n = 1);

private:
  bool acquire_slow(std::optional<parker::clock::time_point> deadline,
                    const std::source_location &where);
  void release_slow();

  // count_ and parked_ form a Dekker pair (both seq_cst): a releaser adds then looks for parked
  // acquirers; an acquirer about to park sets parked_ then tries the count again. One of them
  // sees the other, so no permit is left while an acquirer sleeps.
  std::atomic<std::ptrdiff_t> count_;
  std::atomic<bool> parked_{false}; // acquirers are queued (set and cleared under mu_)
  ranked_mutex<lock_rank::primitive> mu_;
  wait_queue waiters_; // mu_
  const std::string name_;
  const gl_resource_id res_;
  notifiers releasers_;
};
} // namespace detail

template <std::ptrdiff_t LeastMaxValue = PTRDIFF_MAX>
class counting_semaphore : public detail::semaphore_core {
public:
  static_assert(LeastMaxValue >= 0);
  static constexpr std::ptrdiff_t max() noexcept { return LeastMaxValue; }
  explicit counting_semaphore(std::ptrdiff_t initial, std::string_view name = {},
                              std::source_location where = std::source_location::current())
      : semaphore_core(initial, name, where) {}
};

using binary_semaphore = counting_semaphore<1>;

} // namespace gridlock::inline GRIDLOCK_ABI
