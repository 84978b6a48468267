#include <gridlock/detail/abi.hpp>
#include <gridlock/semaphore.hpp>

#include <stdexcept>

namespace gridlock::inline GRIDLOCK_ABI::detail {

semaphore_core::semaphore_core(std::ptrdiff_t initial, std::string_view name,
                               std::source_location where)
    : count_(initial), name_(name.empty() ? default_name("semaphore", where) : std::string(name)),
      res_(gl_resource_create("semaphore", name_.c_str(), -1)), releasers_(res_) {
  if (initial < 0) {
    gl_resource_destroy(res_);
    throw std::invalid_argument("gridlock::counting_semaphore: negative initial count");
  }
}

semaphore_core::~semaphore_core() { gl_resource_destroy(res_); }

void semaphore_core::release(std::ptrdiff_t n) {
  if (n < 0) throw std::invalid_argument("gridlock::counting_semaphore::release: negative count");
  releasers_.note();
  count_.fetch_add(n, std::memory_order_seq_cst);
  if (parked_.load(std::memory_order_seq_cst)) release_slow();
}

// Hands permits to parked acquirers, oldest first: a permit is taken from the count before an
// acquirer is claimed, and put back if none could be.
void semaphore_core::release_slow() {
  wake_list woken;
  {
    std::lock_guard lk(mu_);
    for (std::ptrdiff_t c = count_.load(std::memory_order_relaxed); c > 0 && !waiters_.empty();) {
      if (!count_.compare_exchange_weak(c, c - 1, std::memory_order_acquire)) continue;
      waiter_node *n = waiters_.pop_claimed();
      if (!n) {
        count_.fetch_add(1, std::memory_order_relaxed);
        break;
      }
      woken.add(*n);
      c = count_.load(std::memory_order_relaxed);
    }
    if (waiters_.empty()) parked_.store(false, std::memory_order_seq_cst);
  }
  woken.wake_all();
}

bool semaphore_core::acquire_slow(std::optional<parker::clock::time_point> deadline,
                                  const std::source_location &where) {
  std::unique_lock lk(mu_);
  parked_.store(true, std::memory_order_seq_cst);
  if (try_acquire()) {
    if (waiters_.empty()) parked_.store(false, std::memory_order_seq_cst);
    return true;
  }
  if (deadline && parker::clock::now() >= *deadline) {
    if (waiters_.empty()) parked_.store(false, std::memory_order_seq_cst);
    return false;
  }
  waiter_node n;
  const gl_target t{GL_TARGET_HOLDERS, 0, res_, GL_END_SEND};
  const auto d = describe(GL_OP_ACQUIRE, &t, 1, false, deadline.has_value(), where);
  switch (block_on(lk, waiters_, n, d, deadline)) {
  case block_result::served: return true; // release_slow() gave us its permit
  case block_result::timed_out: return false;
  case block_result::broken: break;
  }
  throw_broken(GL_OP_ACQUIRE);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
