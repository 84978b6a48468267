// crash_flush: a last report when the process dies abnormally — abort(), std::terminate (an
// uncaught exception), SIGSEGV, SIGBUS, SIGFPE, SIGILL — so that what was blocked and the flight
// recorder's events are on disk (report_dir) even though the detector had not reported yet.
//
// The report has one finding of kind "crash" naming the signal, with every actor blocked at that
// moment, and the trace when trace=1. It is written once, through the normal report path (temp
// file + link), after which the signal's default action runs (the process dies as it would have).
//
// Not async-signal-safe in the strict sense (it allocates): it takes gridlock's locks only with
// try_lock (a crash inside gridlock's own critical sections gives up rather than deadlock), and an
// alarm(5) watchdog ends the process should the report itself hang (a crash inside malloc).
// Installed by the runtime at start-up; handlers installed before (a sanitizer's, the program's)
// still run after the flush; a program's own handlers installed later take precedence.
#pragma once

#include <gridlock/detail/abi.hpp>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class detector;

void install_crash_flush(detector &d);

// The process is about to abort on purpose with its report written (on_deadlock=abort): no
// second, crash report.
void crash_flush_not_needed() noexcept;

} // namespace gridlock::inline GRIDLOCK_ABI::detail
