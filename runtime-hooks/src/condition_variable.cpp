#include <gridlock/condition_variable.hpp>
#include <gridlock/detail/abi.hpp>

namespace gridlock::inline GRIDLOCK_ABI {

condition_variable::condition_variable(std::string_view name, std::source_location where)
    : name_(name.empty() ? detail::default_name("condition_variable", where) : std::string(name)),
      res_(gl_resource_create("condition_variable", name_.c_str(), -1)), notifiers_(res_) {}

condition_variable::~condition_variable() { gl_resource_destroy(res_); }

// Woken after mu_ is released: a woken waiter may destroy the condition variable at once.
void condition_variable::notify_slow(bool all) noexcept {
  detail::wake_list woken;
  {
    std::lock_guard lk(mu_);
    while (detail::waiter_node *n = waiters_.pop_claimed()) {
      waiting_.fetch_sub(1, std::memory_order_seq_cst);
      woken.add(*n);
      if (!all) break;
    }
  }
  woken.wake_all();
}

} // namespace gridlock::inline GRIDLOCK_ABI
