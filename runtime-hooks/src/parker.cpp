#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/parker.hpp>

#include <thread>

namespace gridlock::inline GRIDLOCK_ABI::detail {

parker &parker::current() noexcept {
  thread_local parker p;
  return p;
}

void parker::reset() noexcept {
  fired_.store(kWaiting, std::memory_order_relaxed);
  state_.store(0, std::memory_order_relaxed);
}

// A system call only when the owner sleeps (or is about to: it sets kSleeping and then sleeps
// only while the word still holds what it set).
void parker::signal() noexcept {
  if (state_.fetch_or(kSignaled, std::memory_order_acq_rel) & kSleeping) futex_wake(state_, 1);
}

void parker::request_break() noexcept {
  if (state_.fetch_or(kBreakAsked, std::memory_order_acq_rel) & kSleeping) futex_wake(state_, 1);
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
      if (state_.load(std::memory_order_acquire) & kSignaled) return true;
      cpu_relax();
    }
  } while (clock::now() < until);
  return (state_.load(std::memory_order_acquire) & kSignaled) != 0;
}

int parker::park(std::optional<clock::time_point> deadline) noexcept {
  if (!spin()) sleep(deadline);
  return fired_.load(std::memory_order_acquire);
}

void parker::sleep(std::optional<clock::time_point> deadline) noexcept {
  for (;;) {
    const std::uint32_t s = state_.load(std::memory_order_acquire);
    if (s & kSignaled) return;
    const bool expired = deadline && clock::now() >= *deadline;
    if ((s & kBreakAsked) || expired) {
      // Give up unless a waker claimed us first; if one did, wait for its signal().
      int expected = kWaiting;
      const int give_up = (s & kBreakAsked) ? kBroken : kTimedOut;
      if (!fired_.compare_exchange_strong(expected, give_up, std::memory_order_acq_rel))
        sleep_until_signaled();
      return;
    }
    sleep_on(s, deadline ? &*deadline : nullptr);
  }
}

void parker::sleep_on(std::uint32_t seen, const clock::time_point *deadline) noexcept {
  if (!(seen & kSleeping) &&
      !state_.compare_exchange_strong(seen, seen | kSleeping, std::memory_order_acq_rel))
    return; // changed meanwhile: look again
  futex_wait(state_, seen | kSleeping, deadline);
}

void parker::sleep_until_signaled() noexcept {
  for (std::uint32_t s = state_.load(std::memory_order_acquire); !(s & kSignaled);
       s = state_.load(std::memory_order_acquire))
    sleep_on(s, nullptr);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
