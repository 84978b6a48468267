// abi: the inline namespace that keeps an instrumented build of gridlock apart from a
// GRIDLOCK_DISABLE build (every hook compiled out), so that both can be linked into one program
// without breaking the one-definition rule — the benchmarks compare them side by side in one
// binary. Users never name it: gridlock::sender<T> is gridlock::instrumented::sender<T> or
// gridlock::disabled::sender<T>, depending on GRIDLOCK_DISABLE.
//
// Every gridlock declaration whose code depends on GRIDLOCK_DISABLE lives in it; errors.hpp,
// identical in both builds, does not (an exception thrown by either build is the same type).
#pragma once

#ifdef GRIDLOCK_DISABLE
#define GRIDLOCK_ABI disabled
#else
#define GRIDLOCK_ABI instrumented
#endif
