// options: the run-time options of <gridlock/options.hpp>, parsed from "key=value:key=value".
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/report/formats.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {

enum class on_deadlock_action { report, abort, brk };

struct options {
  // Whether report_format names `name` ("text", "json", "html", ...).
  bool wants(std::string_view name) const noexcept {
    for (const report::format *f : formats)
      if (f->name == name) return true;
    return false;
  }
  int detect_delay_ms = 200;
  int starvation_ms = 2000;    // read by the fairness monitor
  int starvation_bypass = 100; // read by the fairness monitor
  int aging_ms = 0;            // priority mailboxes: +1 priority per aging_ms waited (0: off)
  on_deadlock_action on_deadlock = on_deadlock_action::report;
  bool report_leaks = true;
  bool interpose = true;  // read once, by the interposer, at start
  std::string report_dir; // empty: reports go to stderr only
  // report_format: entries of report::formats(), each once, in the order given.
  std::vector<const report::format *> formats{report::find_format("text"),
                                              report::find_format("json")};
  std::string strip_path_prefix; // removed from the front of every source path in reports
  int exitcode = 0;
  bool trace = false; // read by the flight recorder
  int verbosity = 0;
  std::string log_path; // empty: the text report goes to stderr
  bool help = false;
};

// Every option with its default and meaning, one per line (help=1).
std::string options_help();

// Applies `text` on top of `o`. Throws std::invalid_argument("unknown option 'k'" /
// "bad value 'v' for option 'k' (expected ...)"); on error `o` is unchanged.
void parse_options(std::string_view text, options &o);

} // namespace gridlock::inline GRIDLOCK_ABI::detail
