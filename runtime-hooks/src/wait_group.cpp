#include <gridlock/detail/abi.hpp>
#include <gridlock/wait_group.hpp>

#include <stdexcept>

namespace gridlock::inline GRIDLOCK_ABI {

wait_group::wait_group(std::string_view name, std::source_location where)
    : name_(name.empty() ? detail::default_name("wait_group", where) : std::string(name)),
      res_(gl_resource_create("wait_group", name_.c_str(), -1)) {}

wait_group::~wait_group() { gl_resource_destroy(res_); }

void wait_group::negative(std::uint64_t delta) {
  state_.fetch_sub(delta, std::memory_order_relaxed);
  throw std::logic_error("gridlock::wait_group '" + name_ + "': negative counter");
}

void wait_group::wait_slow(const std::source_location &where) {
  std::unique_lock lk(mu_);
  for (std::uint64_t s = state_.load(std::memory_order_acquire);;) {
    const std::int64_t count = static_cast<std::int32_t>(s >> 32);
    if (count == 0) return;
    if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acquire)) continue;
    // The go() workers still running (exact), and anybody for what plain add() counted.
    gl_target t[2] = {{GL_TARGET_ALL_HOLDERS, 0, res_, GL_END_SEND}};
    std::size_t n_targets = 1;
    if (count > go_owed_.load(std::memory_order_relaxed))
      t[n_targets++] = {GL_TARGET_ANY_ACTOR, 0, res_, GL_END_SEND};
    detail::waiter_node n;
    const auto d = detail::describe(GL_OP_GROUP_WAIT, t, n_targets, true, false, where);
    if (detail::block_on(lk, waiters_, n, d, std::nullopt) == detail::block_result::broken)
      detail::throw_broken(GL_OP_GROUP_WAIT);
    return;
  }
}

// The counter reached zero with waiters registered. Woken after mu_ is released: a waiter may
// destroy the wait_group at once.
void wait_group::wake_waiters() noexcept {
  detail::wake_list woken;
  {
    std::lock_guard lk(mu_);
    state_.fetch_and(~kWaiters, std::memory_order_relaxed);
    while (detail::waiter_node *n = waiters_.pop_claimed()) woken.add(*n);
  }
  woken.wake_all();
}

} // namespace gridlock::inline GRIDLOCK_ABI
