// Run-time options, sanitizer style: GRIDLOCK_OPTIONS="key=value:key=value" or configure().
//
// Keys (defaults): detect_delay_ms (200), starvation_ms (2000), starvation_bypass (100),
// on_deadlock=report|abort|break (report), report_leaks (1), report_dir (none: stderr only),
// report_format=text,json,html (text,json), exitcode (0: unchanged), trace (0), verbosity (0),
// aging (0: off; ms per priority step in priority mailboxes).
//
// Also: log_path (text report to <log_path>.<pid> instead of stderr), help=1 (print every option
// with its default on stderr), interpose (1: the program's own pthread mutexes, joins, condition
// variables, semaphores and barriers - std::mutex, std::thread::join, ... - are recorded beside
// gridlock's primitives; 0 turns that off; read once, when the program starts).
//
// GRIDLOCK_OPTIONS is read once, on the first use of gridlock in the process; an unknown key or a
// bad value prints one line naming it on stderr and exits with status 2. A program can embed
// defaults, applied before GRIDLOCK_OPTIONS, by defining
//   extern "C" const char *__gridlock_default_options() { return "detect_delay_ms=100"; }
#pragma once

#include <gridlock/detail/abi.hpp>

#include <string_view>

namespace gridlock::inline GRIDLOCK_ABI {

// Applies options on top of the current ones (same syntax as GRIDLOCK_OPTIONS). Throws
// std::invalid_argument naming the key on an unknown key or bad value, leaving the options
// unchanged. Thread-safe; takes effect for the detector's next check.
void configure(std::string_view options);

} // namespace gridlock::inline GRIDLOCK_ABI
