// Actors: every thread that touches gridlock is an actor, registered on first use.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

// Identifies an actor for the whole life of the process; ids are never reused. 0 is "no actor".
using actor_id = std::uint64_t;

// The calling thread's actor id; registers the thread on first call (one lock acquisition per
// thread, then a thread-local read). Returns 0 in a GRIDLOCK_DISABLE build.
inline actor_id this_actor() noexcept { return gl_actor_self(); }

// Names the calling thread's actor in reports (for plain std::thread users). Thread-safe.
inline void set_actor_name(std::string_view name) { gl_actor_set_name(std::string(name).c_str()); }

} // namespace gridlock::inline GRIDLOCK_ABI
