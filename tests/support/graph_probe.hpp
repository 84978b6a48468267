// Test support: what the runtime's wait graph says now, for tests that must know a thread is
// really blocked (parked in a wait) before they go on - instead of sleeping and hoping.
// Sees the runtime's private headers: link the test with runtime-hooks/src on its include path.
#pragma once

#include "runtime.hpp"

#include <gridlock/hooks.h>

#include <chrono>
#include <string_view>
#include <thread>

namespace gridlock::testing {

// How many actors are blocked now in a wait of operation `op` ("write lock", "condition wait").
inline std::size_t blocked_in(std::string_view op) {
  auto &rt = gridlock::detail::runtime::get();
  auto lk = rt.lock_graph();
  std::size_t n = 0;
  for (gl_actor_id a : rt.graph().blocked_actors())
    if (gl_op_name(rt.graph().actor(a)->wait->op) == op) ++n;
  return n;
}

// Polls until at least `n` actors are blocked in `op` (generous deadline). False if they never
// are.
inline bool until_blocked(std::string_view op, std::size_t n = 1) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (blocked_in(op) < n)
    if (std::chrono::steady_clock::now() > until)
      return false;
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

} // namespace gridlock::testing
