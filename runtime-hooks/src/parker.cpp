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

// Watches for a signal for up to kSpin; true if it came. A sleep and a futex wake-up cost tens
// of microseconds (more in a VM), so a hand-off that comes within kSpin is cheaper caught awake.
bool parker::spin() noexcept {
  constexpr auto kSpin = std::chrono::microseconds(50);
  if (!kMultiCore) return false; // the waker cannot run while we spin
  const auto until = clock::now() + kSpin;
  do {
    for (int k = 0; k < 32; ++k) {
      if (signaled_.load(std::memory_order_acquire)) return true;
      cpu_relax();
    }
  } while (clock::now() < until);
  return signaled_.load(std::memory_order_acquire);
}

int parker::park(std::optional<clock::time_point> deadline) noexcept {
  if (spin()) {
    // The waker set signaled_ under m_ and may still be in signal(): taking m_ once waits for it
    // to leave, so this thread may return (and exit, destroying the parker) safely.
    std::lock_guard lk(m_);
    return fired_.load(std::memory_order_acquire);
  }
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
