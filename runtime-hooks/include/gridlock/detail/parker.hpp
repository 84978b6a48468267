// parker: how a blocked gridlock operation sleeps and is woken.
//
// Each thread owns one parker (thread_local). A blocking operation resets it, enqueues one or
// more waiter nodes that point to it (several for a select), and parks. Another thread that
// matches a node first *claims* the parker (a CAS on `fired_`), so exactly one case of a select
// ever completes; a claim that fails means the waiter is already served, timed out or broken,
// and the node is skipped. The claimer transfers the value, then signal()s.
//
// Invariants
//   - fired_ goes from kWaiting to exactly one of: a case index >= 0 (claimed by a waker),
//     kTimedOut, kBroken (claimed by the waiter itself). It never changes again until reset().
//   - A waiter whose parker was claimed by a waker does not return before signal(): the waker may
//     still be writing into the waiter's stack (the received value).
//   - signal() and request_break() take no lock (they set a bit of state_, the word the owner
//     sleeps on, and wake it: futex.hpp), so a waker may call them while holding any lock. Once
//     the bit is set the owner may return and its thread exit: the wake-up that follows only
//     names the word's address.
//
// Spinning: on a multi-core machine, park() first spins briefly (up to 50 µs) watching
// for its signal before it sleeps on state_: a hand-off that comes soon (a ping-pong,
// a consumer draining a full buffer) then costs no sleep and no futex wake-up.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/futex.hpp>

#include <atomic>
#include <chrono>
#include <optional>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class parker {
public:
  static constexpr int kWaiting = -1;
  static constexpr int kTimedOut = -2;
  static constexpr int kBroken = -3;
  using clock = std::chrono::steady_clock;

  // Prepares for a new blocking operation. Only the owning thread calls it, before enqueueing.
  void reset() noexcept;
  // A waker's attempt to serve case `index`. True: the caller now owns the waiter's slot and
  // must signal(). Wait-free.
  bool claim(int index) noexcept {
    int expected = kWaiting;
    return fired_.compare_exchange_strong(expected, index, std::memory_order_acq_rel);
  }
  // Wakes the owner after a successful claim.
  void signal() noexcept;
  // Asks the owner to give up (deadlock victim). Harmless if it was served meanwhile.
  void request_break() noexcept;
  static void request_break_fn(void *self) { static_cast<parker *>(self)->request_break(); }

  // Sleeps until claimed (returns the case index), or until the deadline passes or a break is
  // requested while still unclaimed (returns kTimedOut / kBroken).
  int park(std::optional<clock::time_point> deadline) noexcept;

  // The calling thread's parker.
  static parker &current() noexcept;

private:
  static constexpr std::uint32_t kSignaled = 1;   // a waker claimed this parker and is done
  static constexpr std::uint32_t kBreakAsked = 2; // give up unless claimed
  static constexpr std::uint32_t kSleeping = 4;   // the owner sleeps (or is about to): wake it
  bool spin() noexcept;
  void sleep(std::optional<clock::time_point> deadline) noexcept;
  void sleep_until_signaled() noexcept;
  void sleep_on(std::uint32_t seen, const clock::time_point *deadline) noexcept;
  std::atomic<int> fired_{kWaiting};
  futex_word state_{0}; // kSignaled | kBreakAsked (others) | kSleeping (owner); reset() clears
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
