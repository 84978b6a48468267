#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/parker.hpp>

#include <mutex>
#include <thread>

namespace gridlock::inline GRIDLOCK_ABI::detail {

parker &parker::current() noexcept {
  thread_local parker p;
  return p;
}

void parker::reset() noexcept {
  std::lock_guard lk(m_);
  fired_.store(kWaiting, std::memory_order_relaxed);
  signaled_.store(false, std::memory_order_relaxed);
  break_asked_ = false;
}

void parker::signal() noexcept {
  std::lock_guard lk(m_);
  signaled_.store(true, std::memory_order_release);
  cv_.notify_one();
}

void parker::request_break() noexcept {
  std::lock_guard lk(m_);
  break_asked_ = true;
  cv_.notify_one();
}

namespace {
const bool kMultiCore = std::thread::hardware_concurrency() > 1;

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}
} // namespace

// Watches for a signal for a short while; true if it came.
bool parker::spin() noexcept {
  if (!kMultiCore) return false; // the waker cannot run while we spin
  for (int i = 0; i < 64; ++i) {
    if (signaled_.load(std::memory_order_acquire)) return true;
    for (int k = 0; k < 16; ++k) cpu_relax();
  }
  return signaled_.load(std::memory_order_acquire);
}

int parker::park(std::optional<clock::time_point> deadline) noexcept {
  if (spin()) return fired_.load(std::memory_order_acquire);
  std::unique_lock lk(m_.native());
  lock_order_acquire(lock_rank::parker);
  for (;;) {
    if (signaled_) break;
    const bool expired = deadline && clock::now() >= *deadline;
    if (break_asked_ || expired) {
      // Give up unless a waker claimed us first; if one did, wait for its signal().
      const int give_up = break_asked_ ? kBroken : kTimedOut;
      int expected = kWaiting;
      if (fired_.compare_exchange_strong(expected, give_up, std::memory_order_acq_rel)) break;
      cv_.wait(lk, [&] { return signaled_.load(std::memory_order_relaxed); });
      break;
    }
    if (deadline)
      cv_.wait_until(lk, *deadline);
    else
      cv_.wait(lk);
  }
  lock_order_release(lock_rank::parker);
  return fired_.load(std::memory_order_acquire);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
