// futex: gridlock's own locks, condition variables and sleeps, straight on Linux futexes.
//
// gridlock's internals never synchronise through the C library's pthread objects. An interposer
// of those functions - gridlock's own, in every program linked with gridlock or run under
// gridlock-run, or another tool's - therefore never mistakes gridlock's internals for the
// program's locks, and never recurses into them. They are also cheap: an uncontended lock is one
// inlined compare-and-swap, an unlock one exchange. ThreadSanitizer sees their synchronisation
// through the atomics (acquire on lock, release on unlock).
//
// Costs: a futex system call only when a thread really sleeps or a sleeper must be woken.
// Spurious wake-ups are possible (as for std::condition_variable); every waiter here loops.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace gridlock::inline GRIDLOCK_ABI::detail {

using futex_word = std::atomic<std::uint32_t>;
using futex_clock = std::chrono::steady_clock; // CLOCK_MONOTONIC

// Sleeps while `word` holds `expected`, until futex_wake, `deadline` (if any) or a spurious
// wake-up. False if the deadline passed.
bool futex_wait(const futex_word &word, std::uint32_t expected,
                const futex_clock::time_point *deadline = nullptr) noexcept;
// Wakes up to `n` threads sleeping on `word`. Harmless on a word nobody sleeps on - even one
// whose memory was freed since: the kernel only hashes its address.
void futex_wake(const futex_word &word, int n) noexcept;
inline constexpr int kWakeAll = 0x7fffffff;

// A non-recursive mutex (Lockable): 0 free, 1 locked, 2 locked with possible sleepers.
class futex_mutex {
public:
  bool try_lock() noexcept {
    std::uint32_t expected = 0;
    return state_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }
  void lock() noexcept {
    if (!try_lock()) lock_contended();
  }
  void unlock() noexcept {
    if (state_.exchange(0, std::memory_order_release) == 2) futex_wake(state_, 1);
  }

private:
  void lock_contended() noexcept;
  futex_word state_{0};
};

// A condition variable over any BasicLockable the caller holds (as std::condition_variable_any):
// a wait releases the lock, sleeps until a notify after it released the lock (or spuriously),
// and takes the lock again before it returns.
class futex_condition {
public:
  template <class Lock> void wait(Lock &lk) { sleep(lk, nullptr); }
  template <class Lock, class Pred> void wait(Lock &lk, Pred ready) {
    while (!ready()) wait(lk);
  }
  // False if the deadline passed.
  template <class Lock> bool wait_until(Lock &lk, futex_clock::time_point deadline) {
    return sleep(lk, &deadline);
  }
  // The value of ready() when it returns: false if the deadline passed first.
  template <class Lock, class Pred>
  bool wait_until(Lock &lk, futex_clock::time_point deadline, Pred ready) {
    while (!ready())
      if (futex_clock::now() >= deadline || (!wait_until(lk, deadline) && !ready())) return false;
    return true;
  }
  template <class Lock, class Rep, class Period>
  bool wait_for(Lock &lk, std::chrono::duration<Rep, Period> d) {
    return wait_until(lk,
                      futex_clock::now() + std::chrono::duration_cast<futex_clock::duration>(d));
  }
  template <class Lock, class Rep, class Period, class Pred>
  bool wait_for(Lock &lk, std::chrono::duration<Rep, Period> d, Pred ready) {
    return wait_until(lk, futex_clock::now() + std::chrono::duration_cast<futex_clock::duration>(d),
                      std::move(ready));
  }
  // A system call only when someone sleeps.
  void notify_one() noexcept { notify(1); }
  void notify_all() noexcept { notify(kWakeAll); }

private:
  // seq_ and sleepers_ are a Dekker pair (sequentially consistent): a notifier either sees the
  // sleeper counted or the sleeper sees the notifier's new seq_ and does not sleep.
  template <class Lock> bool sleep(Lock &lk, const futex_clock::time_point *deadline) {
    sleepers_.fetch_add(1);
    const std::uint32_t seen = seq_.load();
    lk.unlock();
    const bool woken = futex_wait(seq_, seen, deadline);
    sleepers_.fetch_sub(1);
    lk.lock();
    return woken;
  }
  void notify(int n) noexcept {
    seq_.fetch_add(1);
    if (sleepers_.load() != 0) futex_wake(seq_, n);
  }
  futex_word seq_{0}; // changes on every notify: a waiter sleeps only if none came since it looked
  std::atomic<std::uint32_t> sleepers_{0};
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
