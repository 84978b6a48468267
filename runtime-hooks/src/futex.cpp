#include <gridlock/detail/futex.hpp>

#include <cerrno>
#include <climits>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {

namespace {
long futex(const futex_word &word, int op, std::uint32_t value, const timespec *at) noexcept {
  // std::atomic<std::uint32_t> is a plain 32-bit word: the kernel reads it directly.
  return ::syscall(SYS_futex, reinterpret_cast<const std::uint32_t *>(&word), op, value, at,
                   nullptr, FUTEX_BITSET_MATCH_ANY);
}

timespec to_timespec(futex_clock::time_point t) noexcept {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  if (ns <= 0) return {0, 0};
  return {static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}
} // namespace

bool futex_wait(const futex_word &word, std::uint32_t expected,
                const futex_clock::time_point *deadline) noexcept {
  // An absolute CLOCK_MONOTONIC deadline (steady_clock's clock): no drift over spurious wake-ups.
  timespec at{};
  if (deadline) at = to_timespec(*deadline);
  const int saved = errno;
  const long rc =
      futex(word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, deadline ? &at : nullptr);
  const bool timed_out = rc != 0 && errno == ETIMEDOUT;
  errno = saved;
  return !timed_out;
}

void futex_wake(const futex_word &word, int n) noexcept {
  const int saved = errno;
  futex(word, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, static_cast<std::uint32_t>(n), nullptr);
  errno = saved;
}

// Drepper's "Futexes are tricky", mutex 3: once contended, the state stays 2 until an unlock
// finds it so and wakes one sleeper, which takes the lock as 2 (others may still sleep).
void futex_mutex::lock_contended() noexcept {
  while (state_.exchange(2, std::memory_order_acquire) != 0) futex_wait(state_, 2);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
