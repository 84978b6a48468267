#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local std::size_t allocated = 0;

void *allocate(std::size_t n) {
  allocated += n;
  if (void *p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
} // namespace

namespace bench {
std::size_t thread_allocated_bytes() noexcept { return allocated; }
} // namespace bench

void *operator new(std::size_t n) { return allocate(n); }
void *operator new[](std::size_t n) { return allocate(n); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
