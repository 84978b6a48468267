#include "alt_stack.hpp"

#include <algorithm>
#include <csignal>
#include <sys/mman.h>
#include <unistd.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {

void alt_stack::install() noexcept {
  if (map_) return;
  stack_t current{};
  if (::sigaltstack(nullptr, &current) != 0 || !(current.ss_flags & SS_DISABLE)) return;
  const std::size_t guard = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t size = std::max<std::size_t>(kSize, SIGSTKSZ);
  void *m = ::mmap(nullptr, guard + size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return;
  char *map = static_cast<char *>(m);
  stack_t ss{};
  ss.ss_sp = map + guard;
  ss.ss_size = size;
  if (::mprotect(map, guard, PROT_NONE) != 0 || ::sigaltstack(&ss, nullptr) != 0) {
    ::munmap(map, guard + size);
    return;
  }
  map_ = map;
  guard_ = guard;
  size_ = size;
}

alt_stack::~alt_stack() {
  if (!map_) return;
  stack_t current{};
  if (::sigaltstack(nullptr, &current) == 0 && current.ss_sp == map_ + guard_) {
    if (current.ss_flags & SS_ONSTACK) return; // exiting from a handler on it: keep it mapped
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    ::sigaltstack(&off, nullptr);
  }
  ::munmap(map_, guard_ + size_);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
