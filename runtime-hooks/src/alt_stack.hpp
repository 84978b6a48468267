// alt_stack: an alternate signal stack for an actor's thread, so that gridlock's crash handler
// (crash_flush.hpp) runs even when the thread dies of a stack overflow. Without one, the kernel
// cannot push a handler's frame on the exhausted stack and kills the process at once: no report.
//
// Installed when a thread becomes an actor, unless the thread already has one (a sanitizer's, the
// program's); removed when the thread exits, unless the program replaced it meanwhile. kSize bytes
// (at least the system's SIGSTKSZ) above a guard page: mapped, never touched until a signal uses
// them, so a thread costs 64 KiB of address space and no memory. Cost: three system calls when a
// thread first becomes an actor, two when it exits.
//
// Not thread-safe: one per thread, created, installed and destroyed by that thread.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <cstddef>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class alt_stack {
public:
  static constexpr std::size_t kSize = 64 * 1024;

  alt_stack() = default;
  alt_stack(const alt_stack &) = delete;
  alt_stack &operator=(const alt_stack &) = delete;
  ~alt_stack();

  // Gives the calling thread this stack if it has none. Idempotent; without memory, nothing.
  void install() noexcept;

private:
  char *map_ = nullptr; // guard page, then the stack
  std::size_t guard_ = 0, size_ = 0;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
