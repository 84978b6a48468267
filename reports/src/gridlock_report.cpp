// gridlock-report: renders one gridlock JSON report, or merges several (runtime and static runs
// together) into one.
//
//   gridlock-report FILE.json... [--format F] [--strip-path-prefix DIR] [-o OUT]
//
// F is a report format (gridlock/report/formats.hpp: html by default, text, json, sarif,
// perfetto) or index. --strip-path-prefix prints source paths relative to DIR (default: as
// the reports have them); SARIF's %SRCROOT% is DIR, else the current directory.
//
// index is a page with one row per finding of every input, linking to the HTML page beside each
// input (FILE.html) when there is one, else to the JSON; links are relative to OUT.
// text is the sanitizer-style terminal report for runtime findings and compiler diagnostics for
// static ones; perfetto is a Chrome trace-event file for ui.perfetto.dev. Locations get their
// source lines from disk when the report has none and the file is readable. Exit status: 0
// rendered, 2 bad usage or input (one line on stderr says why).
#include <gridlock/report/formats.hpp>
#include <gridlock/report/report.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string &why) {
  std::cerr << "gridlock-report: error: " << why << "\n";
  std::exit(2);
}

constexpr std::uintmax_t kMaxReportBytes = 256u << 20; // far beyond any real report

gridlock::report::report read(const std::string &path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path + " is a directory, not a report");
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxReportBytes)
    fail(path + " is " + std::to_string(size >> 20) + " MiB: too large for a gridlock report");
  std::ifstream in(path);
  if (!in) fail("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return gridlock::report::from_json(text.str());
  } catch (const std::exception &e) {
    fail(path + ": " + e.what());
  }
}

// One report from several: findings in the order given; program/pid/source kept when they agree.
// A trace is kept only when one input has one (times and actor ids of different runs do not mix).
gridlock::report::report merge(const std::vector<gridlock::report::report> &all) {
  const auto traced =
      std::count_if(all.begin(), all.end(), [](const auto &r) { return !r.trace.empty(); });
  if (traced > 1)
    std::cerr << "gridlock-report: note: " << traced
              << " inputs have a flight-recorder trace; traces of different runs are not merged "
                 "(render each report on its own to see its timeline)\n";
  gridlock::report::report out = all.front();
  for (std::size_t i = 1; i < all.size(); ++i) {
    const auto &r = all[i];
    if (r.source != out.source) out.source = "merged";
    if (r.program != out.program) out.program = "several programs";
    if (r.pid != out.pid) out.pid = 0;
    out.findings.insert(out.findings.end(), r.findings.begin(), r.findings.end());
    if (out.trace.empty()) out.trace = r.trace;
  }
  if (traced > 1) out.trace.clear();
  return out;
}

// The index of several reports, linking to each one's page (or JSON) relative to `output`.
std::string index_page(const std::vector<std::string> &files,
                       std::vector<gridlock::report::report> &reports, const std::string &output) {
  namespace fs = std::filesystem;
  const fs::path base = output.empty() ? fs::current_path() : fs::absolute(output).parent_path();
  std::vector<gridlock::report::indexed_report> all;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path json = fs::absolute(files[i]);
    fs::path html = json;
    html.replace_extension(".html");
    std::error_code ec;
    all.push_back({fs::exists(html, ec) ? fs::relative(html, base, ec).string() : "",
                   fs::relative(json, base, ec).string(), std::move(reports[i])});
  }
  return gridlock::report::to_html_index(all, "gridlock reports");
}

} // namespace

std::string usage() {
  return "usage: gridlock-report FILE.json... [--format " +
         gridlock::report::format_names("index") + "] [--strip-path-prefix DIR] [-o OUT]";
}

int main(int argc, char **argv) {
  std::string format = "html", output, root;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool valued = a == "--format" || a == "-o" || a == "--strip-path-prefix";
    if (valued && i + 1 >= argc) fail(a + " needs a value");
    if (a == "--format")
      format = argv[++i];
    else if (a.rfind("--format=", 0) == 0)
      format = a.substr(9);
    else if (a == "-o")
      output = argv[++i];
    else if (a == "--strip-path-prefix")
      root = argv[++i];
    else if (a.rfind("--strip-path-prefix=", 0) == 0)
      root = a.substr(20);
    else if (a == "-h" || a == "--help") {
      std::cout << usage() << "\n";
      return 0;
    } else if (!a.empty() && a[0] == '-')
      fail("unknown option " + a);
    else
      files.push_back(a);
  }
  const gridlock::report::format *renderer = gridlock::report::find_format(format);
  if (!renderer && format != "index")
    fail("unknown --format '" + format + "' (expected " + gridlock::report::format_names("index") +
         ")");
  if (files.empty()) fail("no input (give one or more gridlock JSON reports)");
  std::vector<gridlock::report::report> reports;
  for (const auto &f : files) reports.push_back(read(f));
  std::string text;
  if (!renderer) {
    for (auto &r : reports) gridlock::report::strip_path_prefix(r, root);
    text = index_page(files, reports, output);
  } else {
    gridlock::report::report merged = merge(reports);
    if (format == "html") gridlock::report::attach_source_context(merged);
    gridlock::report::strip_path_prefix(merged, root);
    text = renderer->render(
        merged, {"gridlock", root.empty() ? std::filesystem::current_path().string() : root});
  }
  if (output.empty())
    std::cout << text;
  else if (!(std::ofstream(output) << text))
    fail("cannot write " + output);
  return 0;
}
