#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/notifiers.hpp>

namespace gridlock::inline GRIDLOCK_ABI::detail {

notifiers::notifiers(gl_resource_id r) noexcept : res_(r) {
  gl_resource_guessed_holders(r);
  gl_end_hold(r, GL_END_SEND, 0, GL_HOLD_UNKNOWN);
}

// A holding per call: an actor evicted from recent_ and back again holds twice, which changes
// nothing (holdings are counts; all of an actor's go when it exits).
void notifiers::note_slow(gl_actor_id a) noexcept {
  gl_end_hold(res_, GL_END_SEND, a, GL_HOLD_INFERRED);
  if (stand_in_.exchange(false, std::memory_order_relaxed))
    gl_end_release(res_, GL_END_SEND, 0, GL_HOLD_UNKNOWN);
  recent_[next_.fetch_add(1, std::memory_order_relaxed) % recent_.size()].store(
      a, std::memory_order_relaxed);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
