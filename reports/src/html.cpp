#include <gridlock/report/report.hpp>

#include <sstream>

namespace gridlock::report {
namespace {

// Every program-supplied string goes through here: names, paths, messages, notes.
std::string esc(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string where(const location &l) {
  if (l.file.empty()) return "";
  return esc(l.file) + ":" + std::to_string(l.line) +
         (l.column ? ":" + std::to_string(l.column) : "");
}

const char *kStyle = R"(body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1f24}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.definite{color:#b3261e;font-weight:600}.probable,.possible{color:#9a6700}
code{font:12px ui-monospace,monospace}.cycle{font-weight:600}.note{color:#57606a})";

void finding_section(std::ostringstream &o, const finding &f, std::size_t i) {
  o << "<h2 id=\"f" << i << "\">" << i + 1 << ". " << esc(f.kind) << " <span class=\""
    << esc(f.certainty) << "\">" << esc(f.certainty) << "</span></h2>\n<p>" << esc(f.summary)
    << "</p>\n";
  if (!f.rule.empty()) o << "<p>Rule: <code>" << esc(f.rule) << "</code></p>\n";
  if (!f.cycle.empty()) {
    o << "<p class=\"cycle\">";
    for (const auto &n : f.cycle) o << esc(n) << " &rarr; ";
    o << esc(f.cycle.front()) << "</p>\n";
  }
  o << "<table><tr><th>actor</th><th>operation</th><th>resource</th><th>where</th><th>waited</th>"
       "<th>waits for</th></tr>\n";
  for (const actor_entry &a : f.actors) {
    o << "<tr><td>" << esc(a.name) << "</td><td>" << esc(a.op) << "</td><td>" << esc(a.resource)
      << "</td><td><code>" << where(a.where) << "</code></td><td>"
      << (a.waited_ms >= 0 ? std::to_string(a.waited_ms) + " ms" : "") << "</td><td>";
    for (std::size_t k = 0; k < a.waits_for.size(); ++k)
      o << (k ? ", " : "") << esc(a.waits_for[k]);
    o << "</td></tr>\n";
    if (!a.note.empty())
      o << "<tr><td></td><td colspan=\"5\" class=\"note\">" << esc(a.note) << "</td></tr>\n";
  }
  o << "</table>\n";
  if (f.bypass_count) {
    o << "<p>Served instead (" << *f.bypass_count << " times):";
    for (const auto &n : f.served_instead) o << " " << esc(n);
    o << "</p>\n";
  }
  if (!f.action.empty()) o << "<p>Action: " << esc(f.action) << "</p>\n";
}

} // namespace

std::string to_html(const report &r) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'unsafe-inline'\">\n"
    << "<title>gridlock report: " << esc(r.program) << "</title><style>" << kStyle
    << "</style></head><body>\n"
    << "<h1>gridlock " << esc(r.source) << " report: " << esc(r.program)
    << (r.pid ? " (pid " + std::to_string(r.pid) + ")" : "") << "</h1>\n";
  if (r.findings.empty())
    o << "<p>No finding.</p>\n";
  else {
    o << "<table><tr><th>#</th><th>kind</th><th>certainty</th><th>summary</th><th>where</th></"
         "tr>\n";
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      const finding &f = r.findings[i];
      o << "<tr><td><a href=\"#f" << i << "\">" << i + 1 << "</a></td><td>" << esc(f.kind)
        << "</td><td class=\"" << esc(f.certainty) << "\">" << esc(f.certainty) << "</td><td>"
        << esc(f.summary) << "</td><td><code>"
        << (f.actors.empty() ? "" : where(f.actors.front().where)) << "</code></td></tr>\n";
    }
    o << "</table>\n";
    for (std::size_t i = 0; i < r.findings.size(); ++i) finding_section(o, r.findings[i], i);
  }
  o << "</body></html>\n";
  return o.str();
}

} // namespace gridlock::report
