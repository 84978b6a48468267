// self: the calling thread's actor id on the fast path — one thread-local load once known.
//
// gl_actor_self() is a call into the library (and a thread-local with a destructor behind it);
// primitives ask for their caller's id on every operation (handle ownership, mutex owner), so
// each translation unit caches it in a plain thread-local. A thread's actor id never changes once
// it is known (gl_actor_attach, if used, is the new thread's first call).
#pragma once

#include <gridlock/detail/abi.hpp>
#include <gridlock/hooks.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {

#ifndef GRIDLOCK_DISABLE
inline thread_local gl_actor_id self_cache = 0;
inline gl_actor_id self() noexcept {
  gl_actor_id a = self_cache;
  if (a == 0) a = self_cache = gl_actor_self();
  return a;
}
#else
inline gl_actor_id self() noexcept { return 0; }
#endif

} // namespace gridlock::inline GRIDLOCK_ABI::detail
