// notifiers: who has released a semaphore or notified a condition variable - the candidate
// releasers of their waits, as gridlock cannot know who will (both are ownerless).
//
// Each actor that releases or notifies becomes an INFERRED holder of the resource's send end,
// kept until it exits: a waiter waits for them (probable verdicts only, never acted on). Until
// the first one is known, an unknown holder stands in, so a waiter counts as releasable by
// someone unseen (no report unless the whole process is stuck). Once every known notifier has
// exited, a waiter waits for nobody: a lost wake-up.
//
// Cost: note() is a thread-local read and up to four relaxed loads when the caller is one of the
// last four notifiers; otherwise it takes the graph lock once.
//
// Thread-safety: note() may be called from any thread concurrently.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/detail/self.hpp>
#include <gridlock/hooks.h>

#include <array>
#include <atomic>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class notifiers {
public:
  explicit notifiers(gl_resource_id r) noexcept;
  notifiers(const notifiers &) = delete;
  notifiers &operator=(const notifiers &) = delete;

  // The calling actor releases / notifies the resource.
  void note() noexcept {
    const gl_actor_id a = self();
    for (const auto &known : recent_)
      if (known.load(std::memory_order_relaxed) == a) return;
    note_slow(a);
  }

private:
  void note_slow(gl_actor_id a) noexcept;
  std::array<std::atomic<gl_actor_id>, 4> recent_{}; // a ring of the latest new notifiers
  std::atomic<unsigned> next_{0};
  std::atomic<bool> stand_in_{true}; // the unknown holder is still held
  const gl_resource_id res_;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
