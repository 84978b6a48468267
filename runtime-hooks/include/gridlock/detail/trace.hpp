// trace: a primitive's record of one of its events in the flight recorder (option trace=1). With
// tracing off it costs one relaxed load and a predicted branch; the recording call is out of line.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {

[[gnu::noinline, gnu::cold]] inline void trace_record(gl_event ev, gl_resource_id r) noexcept {
  gl_trace_record(ev, 0, r, 0, 0);
}

// Records that the calling actor did `ev` on resource r.
inline void trace(gl_event ev, gl_resource_id r) noexcept {
  if (gl_trace_on()) [[unlikely]]
    trace_record(ev, r);
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
