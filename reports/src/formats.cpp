#include <gridlock/report/formats.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace gridlock::report {
namespace {

// Text: compiler diagnostics for static findings (they carry a rule), the sanitizer-style
// report for runtime ones; a merged report gets both.
std::string text(const report &r, const render_options &) {
  report statics = r, runtime = r;
  statics.findings.clear();
  runtime.findings.clear();
  for (const finding &f : r.findings) (f.rule.empty() ? runtime : statics).findings.push_back(f);
  return to_diagnostics(statics) + to_text(runtime);
}

constexpr std::array kFormats{
    format{"text", "",
           "terminal text: diagnostics for static findings, sanitizer-style at run time", text},
    format{"json", "json", "the report model as JSON (gridlock-report reads it back)",
           [](const report &r, const render_options &) { return to_json(r); }},
    format{"sarif", "sarif", "SARIF 2.1.0 for code-scanning UIs, paths relative to %SRCROOT%",
           [](const report &r, const render_options &o) { return to_sarif(r, o.tool, o.root, o.rules); }},
    format{"html", "html", "one self-contained page: graph, source lines, timeline",
           [](const report &r, const render_options &) { return to_html(r); }},
    format{"perfetto", "perfetto.json", "Chrome trace events for ui.perfetto.dev",
           [](const report &r, const render_options &) { return to_perfetto(r); }},
};

} // namespace

std::span<const format> formats() { return kFormats; }

const format *find_format(std::string_view name) {
  for (const format &f : kFormats)
    if (f.name == name) return &f;
  return nullptr;
}

std::string format_names(std::string_view also) {
  std::vector<std::string_view> names;
  for (const format &f : kFormats) names.push_back(f.name);
  if (!also.empty()) names.push_back(also);
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += std::string(i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
  return s;
}

std::string relative_to(const std::string &file, std::string_view root) {
  while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
  if (root.empty() || file.size() <= root.size() || !file.starts_with(root)) return file;
  if (root == "/") return file.substr(1);
  return file[root.size()] == '/' ? file.substr(root.size() + 1) : file;
}

bool is_report_json(std::string_view filename) {
  return filename.starts_with("gridlock.") && filename.ends_with(".json") &&
         std::count(filename.begin(), filename.end(), '.') == 3;
}

void strip_path_prefix(report &r, std::string_view prefix) {
  if (prefix.empty()) return;
  for (finding &f : r.findings)
    for (actor_entry &a : f.actors) a.where.file = relative_to(a.where.file, prefix);
  for (trace_event &e : r.trace) e.where.file = relative_to(e.where.file, prefix);
}

} // namespace gridlock::report
