#include <gridlock/detail/abi.hpp>
#include <gridlock/once.hpp>

namespace gridlock::inline GRIDLOCK_ABI {

once_flag::once_flag(std::string_view name, std::source_location where)
    : name_(name.empty() ? detail::default_name("once_flag", where) : std::string(name)),
      res_(gl_resource_create("once_flag", name_.c_str(), -1)) {
  gl_owner_watch(res_, &owner_);
}

once_flag::~once_flag() { gl_resource_destroy(res_); }

bool once_flag::begin(const std::source_location &where) {
  std::unique_lock lk(mu_);
  for (;;) {
    int s = state_.load(std::memory_order_acquire);
    if (s == kDone) return false;
    if (s == kUnset) {
      if (!state_.compare_exchange_strong(s, kRunning, std::memory_order_acquire)) continue;
      std::atomic_ref<gl_actor_id>(owner_).store(detail::self(), std::memory_order_relaxed);
      return true;
    }
    // Running: wait for the runner; finish() (under mu_) wakes every waiter.
    detail::waiter_node n;
    const gl_target t{GL_TARGET_OWNER, 0, res_, GL_END_SEND};
    const auto d = detail::describe(GL_OP_CALL_ONCE, &t, 1, false, false, where);
    if (detail::block_on(lk, waiters_, n, d, std::nullopt) == detail::block_result::broken)
      detail::throw_broken(GL_OP_CALL_ONCE);
    lk.lock();
  }
}

// Woken after mu_ is released: a woken caller may return and destroy the flag at once.
void once_flag::finish(bool ran) noexcept {
  detail::wake_list woken;
  {
    std::lock_guard lk(mu_);
    std::atomic_ref<gl_actor_id>(owner_).store(0, std::memory_order_relaxed);
    state_.store(ran ? kDone : kUnset, std::memory_order_release);
    while (detail::waiter_node *n = waiters_.pop_claimed()) woken.add(*n);
  }
  woken.wake_all();
}

} // namespace gridlock::inline GRIDLOCK_ABI
