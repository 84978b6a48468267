// report_writer: where a runtime report goes — the terminal text on stderr, the JSON file in
// report_dir (written to a temporary name, then linked to gridlock.<pid>.<n>.json: atomic, and an
// existing file is never overwritten). Called without any gridlock lock held.
#pragma once

#include "options.hpp"

#include <gridlock/report/report.hpp>

namespace gridlock::detail {

// Fills program and pid. Writes what `opt` asks for; a failure to write the file is reported once
// on stderr and the program continues. Thread-safe (serialized internally).
void write_report(const options &opt, report::report r);

} // namespace gridlock::detail
