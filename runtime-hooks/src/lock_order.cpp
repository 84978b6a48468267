#include <gridlock/detail/abi.hpp>
#include <gridlock/detail/lock_order.hpp>

#ifdef GRIDLOCK_CHECK_LOCK_ORDER
#include <array>
#include <cstdio>
#include <cstdlib>

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {
// By rank (slot 0 unused): how many gridlock mutexes of each the calling thread holds, and has
// acquired so far.
constexpr std::size_t kSlots = static_cast<std::size_t>(lock_rank::trace) + 1;
thread_local std::array<unsigned, kSlots> held{};
thread_local std::array<unsigned long, kSlots> acquired{};
} // namespace

void lock_order_acquire(lock_rank r) {
  const auto rank = static_cast<unsigned>(r);
  for (unsigned h = rank; h < held.size(); ++h) {
    // Several primitive locks are allowed only together (select, in address order).
    const bool same_rank_ok = h == rank && r == lock_rank::primitive;
    if (held[h] != 0 && !same_rank_ok) {
      std::fprintf(
          stderr,
          "gridlock: internal lock-order violation: acquiring rank %u while holding rank %u\n",
          rank, h);
      std::abort();
    }
  }
  ++held[rank];
  ++acquired[rank];
}

void lock_order_release(lock_rank r) { --held[static_cast<unsigned>(r)]; }

unsigned long lock_acquisitions(lock_rank r) { return acquired[static_cast<unsigned>(r)]; }

} // namespace gridlock::inline GRIDLOCK_ABI::detail
#endif
