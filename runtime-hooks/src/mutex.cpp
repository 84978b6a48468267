#include <gridlock/detail/abi.hpp>
#include <gridlock/mutex.hpp>

#include <thread>

namespace gridlock::inline GRIDLOCK_ABI {

namespace {
// What a parked locker and the unlock that wakes it share (waiter_node::slot).
struct parked_locker {
  std::chrono::steady_clock::time_point since; // when it first parked
  bool handed = false;                         // set by the waker: it owns the mutex now
};

// Spinning before parking: a few hundred cycles, then one yield. On a machine with fewer cores
// than lockers, the owner often needs our core to finish.
constexpr int kSpins = 40;
inline void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
} // namespace

mutex::mutex(std::string_view name, std::source_location where)
    : name_(name.empty() ? detail::default_name("mutex", where) : std::string(name)),
      res_(gl_resource_create("mutex", name_.c_str(), -1)) {
  gl_owner_watch(res_, &owner_);
}

mutex::~mutex() { gl_resource_destroy(res_); }

void mutex::lock_slow(const std::source_location &where) {
  parked_locker me;
  bool parked_before = false;
  for (int spin = 0;;) {
    unsigned s = state_.load(std::memory_order_relaxed);
    if (try_acquire(s)) return;
    if (s & kLocked && !(s & kParked) && spin < kSpins) { // nobody parked yet: spin a little
      if (++spin == kSpins)
        std::this_thread::yield();
      else
        relax();
      continue;
    }
    std::unique_lock lk(mu_);
    s = state_.load(std::memory_order_relaxed);
    if (!(s & kLocked)) continue; // freed meanwhile: compete again
    if (!(s & kParked) &&
        !state_.compare_exchange_strong(s, s | kParked, std::memory_order_relaxed))
      continue;
    // Locked, kParked set: the unlock that frees it must take mu_ and will find us queued.
    if (!parked_before) me.since = std::chrono::steady_clock::now();
    detail::waiter_node n;
    n.slot = &me;
    const gl_target t{GL_TARGET_OWNER, 0, res_, GL_END_SEND};
    const auto d = detail::describe(GL_OP_LOCK, &t, 1, false, false, where);
    // Woken to compete and beaten by a barger: back to the front of the queue, age kept.
    const auto end = parked_before ? detail::queue_end::front : detail::queue_end::back;
    if (detail::block_on(lk, waiters_, n, d, std::nullopt, end) == detail::block_result::broken)
      detail::throw_broken(GL_OP_LOCK);
    if (me.handed) return; // unlock_slow() made us the owner
    parked_before = true;
    spin = 0;
  }
}

void mutex::unlock_slow() {
  detail::waiter_node *next = nullptr;
  {
    std::lock_guard lk(mu_);
    next = waiters_.pop_claimed();
    const unsigned parked = waiters_.empty() ? 0 : kParked;
    if (!next) {
      state_.store(0, std::memory_order_release);
      return;
    }
    auto &locker = *static_cast<parked_locker *>(next->slot);
    if (std::chrono::steady_clock::now() - locker.since >= kFairAfter) {
      // Fair hand-off: the mutex stays locked and passes to the oldest parked locker.
      locker.handed = true;
      set_owner(next->actor);
      state_.store(kLocked | parked, std::memory_order_release);
    } else {
      state_.store(parked, std::memory_order_release); // free: the woken locker competes
    }
  }
  // Woken after mu_ is released: the new owner may unlock and destroy the mutex at once. `next`
  // lives on its stack, valid until it is signalled.
  detail::wake(*next);
}

} // namespace gridlock::inline GRIDLOCK_ABI
