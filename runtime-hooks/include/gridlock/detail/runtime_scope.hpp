// runtime_scope: while one is alive, the calling thread runs gridlock's own code
// (gl_in_runtime in <gridlock/hooks.h>), so an interposer of the C library's locks, condition
// variables and thread functions passes its calls straight through instead of recording them.
// Scopes nest. A thread gridlock starts for itself is created inside one and keeps one for life:
// internal_thread().
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

#include <thread>
#include <utility>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class runtime_scope {
public:
#ifndef GRIDLOCK_DISABLE
  runtime_scope() noexcept { ++gl_in_runtime; }
  ~runtime_scope() { --gl_in_runtime; }
#else
  runtime_scope() noexcept {} // user-provided: a scope is never an "unused variable"
#endif
  runtime_scope(const runtime_scope &) = delete;
  runtime_scope &operator=(const runtime_scope &) = delete;
};

// A thread of gridlock's own (detector, crash reporter, timer): never an actor, never recorded.
// Throws std::system_error as std::thread does.
template <class F> std::thread internal_thread(F body) {
  const runtime_scope creating;
  return std::thread([body = std::move(body)]() mutable {
    const runtime_scope forever;
    body();
  });
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
