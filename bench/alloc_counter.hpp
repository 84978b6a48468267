// Heap bytes allocated, counted by the benchmark binary's own operator new (alloc_counter.cpp):
// what gridlock's objects cost in memory, instrumented and disabled.
#pragma once

#include <cstddef>

namespace bench {
// Bytes allocated by the calling thread so far (never decreases).
std::size_t thread_allocated_bytes() noexcept;
} // namespace bench
