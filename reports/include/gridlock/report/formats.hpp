// The report formats: the one place where a format's name, file extension and renderer are
// written. The runtime's `report_format` option, gridlock-check's `--format` and gridlock-report's
// `--format` all accept exactly these names; adding a format is one entry in formats.cpp.
//
// Thread-safety: the table is immutable; a renderer may be called from any thread (the HTML
// renderer serialises its graph layout internally).
#pragma once

#include <gridlock/report/report.hpp>

#include <map>
#include <span>
#include <string>
#include <string_view>

namespace gridlock::report {

// What a renderer needs besides the report.
struct render_options {
  std::string tool = "gridlock"; // SARIF's driver name
  // The source root: SARIF writes files below it relative to %SRCROOT%. Empty: none.
  std::string root;
  // Rule id -> one-line description, for SARIF's rule list (gridlock-check's registry). A rule
  // not in it is described by its findings' kind.
  std::map<std::string, std::string> rules{};
};

struct format {
  std::string_view name;      // as given to the options: "text", "json", ...
  std::string_view extension; // of the file the runtime writes to report_dir ("" : stderr)
  std::string_view what;      // one line for --help
  std::string (*render)(const report &, const render_options &);
};

// Every format, in the order help texts list them. Never empty.
std::span<const format> formats();

// The format called `name`, or nullptr.
const format *find_format(std::string_view name);

// "text, json, sarif, html or perfetto": the names, for error messages; `also` is one more name a
// tool accepts, listed last ("..., perfetto or index").
std::string format_names(std::string_view also = {});

// `file` relative to the folder `root` when it lies below it ("/src/app/x.cpp", "/src/app/" ->
// "x.cpp"); else `file` as given. Whole folder names only: "/src/ap" is no root of it.
std::string relative_to(const std::string &file, std::string_view root);

// Whether `filename` names a runtime report's JSON, gridlock.<pid>.<n>.json (not another
// format's file such as gridlock.<pid>.<n>.perfetto.json).
bool is_report_json(std::string_view filename);

// Every location of the report (actors' and trace events') with `prefix` removed from the front
// of its file name, as the sanitizers' strip_path_prefix: "/src/app/x.cpp" with prefix "/src/app"
// (or "/src/app/") becomes "x.cpp". Files elsewhere are kept. An empty prefix changes nothing.
void strip_path_prefix(report &r, std::string_view prefix);

} // namespace gridlock::report
