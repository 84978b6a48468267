#include <gridlock/detail/abi.hpp>
#include <gridlock/mutex.hpp>

namespace gridlock::inline GRIDLOCK_ABI {

mutex::mutex(std::string_view name, gridlock::source_location where)
    : name_(name.empty() ? detail::default_name("mutex", where) : std::string(name)),
      res_(gl_resource_create("mutex", name_.c_str(), -1)) {}

mutex::~mutex() { gl_resource_destroy(res_); }

void mutex::lock_slow(const gridlock::source_location &where) {
  std::unique_lock lk(mu_);
  for (int s = state_.load(std::memory_order_relaxed);;) {
    if (s == kFree) {
      if (state_.compare_exchange_weak(s, kLocked, std::memory_order_acquire)) {
        owner_.store(gl_actor_self(), std::memory_order_relaxed);
        return;
      }
    } else if (s == kLocked) {
      state_.compare_exchange_weak(s, kContended, std::memory_order_relaxed);
    } else {
      break; // kContended: unlock() now needs mu_, so the owner cannot slip away unseen
    }
  }
  // Record who we wait for; an owner of 0 (mid fast-lock) reads as "unknown, live".
  gl_owner_set(res_, owner_.load(std::memory_order_relaxed));
  detail::waiter_node n;
  n.actor = gl_actor_self();
  const gl_target t{GL_TARGET_OWNER, 0, res_, GL_END_SEND};
  const auto d = detail::describe(GL_OP_LOCK, &t, 1, false, false, where);
  if (detail::block_on(lk, waiters_, n, d, std::nullopt) == detail::block_result::broken)
    detail::throw_broken(GL_OP_LOCK);
  // Handed over by unlock_slow(): we own the mutex, owner_ already names us.
}

void mutex::unlock_slow() {
  detail::waiter_node *next = nullptr;
  {
    std::lock_guard lk(mu_);
    next = waiters_.pop_claimed();
    if (!next) {
      state_.store(kFree, std::memory_order_release);
      return;
    }
    // Hand-off: the mutex stays locked and passes to the oldest waiter (no barging).
    owner_.store(next->actor, std::memory_order_relaxed);
    gl_owner_set(res_, next->actor);
    state_.store(waiters_.empty() ? kLocked : kContended, std::memory_order_release);
  }
  // Woken after mu_ is released: the new owner may unlock and destroy the mutex at once. `next`
  // lives on its stack, valid until it is signalled.
  detail::wake(*next);
}

} // namespace gridlock::inline GRIDLOCK_ABI
