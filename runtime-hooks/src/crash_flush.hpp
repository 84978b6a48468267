// crash_flush: a last report when the process dies abnormally — abort(), std::terminate (an
// uncaught exception), SIGSEGV, SIGBUS, SIGFPE, SIGILL — so that what was blocked and the flight
// recorder's events are on disk (report_dir) even though the detector had not reported yet.
//
// The report has the findings the detector had not written yet (deadlocks younger than
// detect_delay_ms, starvation epilogues), then one finding of kind "crash" naming the signal, with
// every actor blocked at that moment, and the trace when trace=1. It is written once, through the
// normal report path (temp file + link), after which the signal's default action runs (the process
// dies as it would have).
//
// Async-signal-safe: the handler only stores the reason, wakes the crash reporter and waits for
// it to finish, at most kReportTimeout — atomics and futex system calls, no file descriptor. The
// reporter is a thread of its own, started before any crash with every signal blocked and parked
// on a futex; it writes the report with the ordinary code (it is not in a signal handler, so it
// may allocate and lock). The crashing thread stays in its handler meanwhile, the others go on. A
// reporter that cannot finish (the crash left the heap locked or corrupt) costs the process
// kReportTimeout, then it dies of its signal as it would have. The graph lock is tried, not
// waited for: held for over a second (by the crashing thread itself), the report says that the
// blocked actors are unknown.
//
// Handlers installed before (a sanitizer's, the program's) still run after the flush; a program's
// own handlers installed later take precedence. The handler runs on the alternate signal stack
// actors' threads get (alt_stack.hpp), so a stack overflow is reported too.
//
// Threads: the reporter is started with the detector, by the first wait that really blocks, or
// at once when trace=1 (ensure_crash_reporter): a program that never blocks keeps its single
// thread (fork and sanitizers care), and a crash before anything ever blocked has, without a
// trace, nothing to report. Not inside the fork handler either: a thread started there would kill
// every forked child under ThreadSanitizer.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <chrono>
#include <cstddef>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class detector;

inline constexpr std::chrono::seconds kReportTimeout{10};

// Installs the handlers (the reporter is started by ensure_crash_reporter).
void install_crash_flush(detector &d);
// Starts the reporter if it is not running. Thread-safe; one atomic load when it runs.
void ensure_crash_reporter();
// The threads crash_flush runs: 1 while the reporter waits, else 0 (not actors, like the
// detector's own thread).
std::size_t crash_flush_threads() noexcept;
// In a forked child (fork handler): the parent's reporter is not here.
void crash_flush_after_fork_in_child() noexcept;

// The process is about to abort on purpose with its report written (on_deadlock=abort): no
// second, crash report.
void crash_flush_not_needed() noexcept;

} // namespace gridlock::inline GRIDLOCK_ABI::detail
