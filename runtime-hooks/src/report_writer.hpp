// report_writer: where a runtime report goes — the terminal text on stderr, the JSON file in
// report_dir (written to a temporary name, then linked to gridlock.<pid>.<n>.json: atomic, and an
// existing file is never overwritten), the HTML page beside it and the directory's index.html
// (every report in it, rewritten via rename). Called without any gridlock lock held.
#pragma once

#include <gridlock/detail/abi.hpp>

#include "options.hpp"

#include <gridlock/findings.hpp>
#include <gridlock/hooks.h>
#include <gridlock/report/report.hpp>

#include <functional>

namespace gridlock::inline GRIDLOCK_ABI::detail {

// A hook location as a report location ("" file when unknown).
report::location to_location(const gl_location &l);

// Installs the program's finding handler (gridlock::on_finding).
void set_finding_handler(std::function<void(const finding_summary &)> h);

// Fills program and pid, adds the trace (trace=1) and source lines (with a report_dir), writes
// what `opt` asks for, then calls the finding handler (no lock held). A failure to write a file is
// reported once on stderr and the program continues. Thread-safe (serialized internally).
void write_report(const options &opt, report::report r);

// fork (see runtime.hpp): the writer's locks are taken before a fork and released after it, in
// the parent and in the child; the child also starts its own report numbering and shows its own
// first write error.
void report_writer_before_fork();
void report_writer_after_fork(bool in_child);

} // namespace gridlock::inline GRIDLOCK_ABI::detail
