// The HTML report: one self-contained page (inline CSS and SVG, one inline script allowed by its
// hash, no fetch of anything).
//
// Safety: every program-supplied string goes through markup::esc; the Content-Security-Policy
// forbids every script but the page's own (by SHA-256), every fetch, and inline event handlers,
// so even a string that escaped escaping could not run.
#include <gridlock/report/report.hpp>

#include "markup.hpp"
#include "page_script.hpp"
#include "space_time_svg.hpp"
#include "wait_for_svg.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace gridlock::report {
namespace {

using markup::esc;
using markup::where;

const char *kStyle = R"(
:root{--red:#cf222e;--ink:#1f2328;--mute:#59636e;--line:#d1d9e0;--soft:#f6f8fa}
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:var(--ink)}
header{background:#24292f;color:#fff;padding:1em 2em}header h1{font-size:1.3em;margin:0}
header p{margin:.2em 0 0;color:#d1d9e0}main{padding:1em 2em 3em;max-width:1200px}
h2{font-size:1.15em;margin-top:2.2em;border-bottom:1px solid var(--line);padding-bottom:.3em}
h3{font-size:1em;margin:1.4em 0 .4em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid var(--line);padding:.3em .6em;
text-align:left;vertical-align:top}th{background:var(--soft)}
#index th{cursor:pointer;user-select:none}#index th[aria-sort=ascending]::after{content:" \25B2"}
#index th[aria-sort=descending]::after{content:" \25BC"}
ul.consequences{margin:.3em 0 0;padding-left:1.2em;color:var(--mute);font-size:13px}
.fid{color:var(--mute);font-weight:400;font-size:.85em}p.after{color:var(--mute);font-style:italic}
.controls{margin:.8em 0;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
.controls input[type=search]{padding:.3em .5em;min-width:18em}
.definite{color:var(--red);font-weight:600}.probable,.possible{color:#9a6700;font-weight:600}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}.cycle-text{font-weight:600}
.note{color:var(--mute)}figure{margin:1em 0;overflow-x:auto}figcaption{color:var(--mute);font-size:12px}
svg text{font:12px system-ui,sans-serif;fill:var(--ink)}.node text,.edge text,text.tick{text-anchor:middle}
.node rect{fill:#fff;stroke:#6e7781;stroke-width:1.4}.node.resource rect{fill:var(--soft)}
.node.cycle rect{stroke:var(--red);stroke-width:2.4}.node.cycle.actor rect{fill:#ffebe9}
.edge path{fill:none;stroke:#6e7781;stroke-width:1.5}.edge.or path{stroke-dasharray:7 4}
.edge.release path{stroke:#8c959f;stroke-width:1.1}
.edge.cycle path{stroke:var(--red);stroke-width:2.6}.edge text{font-size:11px;fill:#424a53;
paint-order:stroke;stroke:#fff;stroke-width:4px}.arrowhead{fill:#6e7781}.arrowhead.cycle-{fill:var(--red)}
.legend text{font-size:11px;text-anchor:start}
.lane line{stroke:var(--line)}.lane text{text-anchor:end;font-weight:600}
rect.blocked{fill:#ffcecb;stroke:#ff8182}.ev{fill:#0969da}.ev.block{fill:var(--red)}
.ev.lock,.ev.unlock{fill:#8250df}.ev.spawn,.ev.join{fill:#59636e}
line.msg{stroke:#0969da;stroke-width:1.2}.msghead{fill:#0969da}
line.mark{stroke-width:1.5;stroke-dasharray:4 3}line.mark.closed{stroke:#bf8700}
line.mark.detected{stroke:var(--red)}text.mark{font-size:11px;font-weight:600}
text.mark.detected{fill:var(--red)}text.tick{fill:var(--mute);font-size:11px}
table.src{border:1px solid var(--line);width:100%}table.src td{border:0;padding:0 .6em}
table.src td.ln{color:var(--mute);text-align:right;width:3em;user-select:none}
table.src tr.hl{background:#fff8c5}table.src tr.hl td.code{font-weight:600}
table.src td.note{color:#9a6700;font-style:italic;white-space:normal;width:36%;min-width:16em}
table.src pre{margin:0;white-space:pre}
)";

// The CSP hash source: base64 of the script's SHA-256 (CMake gives it in hex).
std::string compute_csp_hash() {
  static const char *b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string hex = page_script::sha256_hex;
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += b64[(v >> 18) & 63];
    out += b64[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? b64[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? b64[v & 63] : '=';
  }
  return "sha256-" + out;
}

// Computed once: it depends only on the embedded script. Never destroyed: the runtime's detector
// thread may be writing a page while the process exits and runs static destructors.
const std::string &csp_hash() {
  static const std::string &hash = *new std::string(compute_csp_hash());
  return hash;
}

void page_head(std::ostringstream &o, const std::string &title, const std::string &subtitle) {
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'unsafe-inline'; script-src '"
    << csp_hash() << "'; base-uri 'none'; form-action 'none'\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>" << esc(title) << "</title><style>" << kStyle << "</style></head><body>\n"
    << "<header><h1>" << esc(title) << "</h1><p>" << esc(subtitle) << "</p></header><main>\n";
}

void page_tail(std::ostringstream &o) {
  o << "</main><script>" << page_script::text << "</script></body></html>\n";
}

int certainty_rank(const std::string &c) {
  return c == "definite" ? 0 : c == "probable" ? 1 : c == "possible" ? 2 : 3;
}

// One finding of a findings index.
struct index_row {
  const finding *f;
  std::string source; // runtime / static
  std::string program;
  std::string href;
  std::int64_t pid = 0; // with f->id, what a consequence's `after` refers to
};

// The rows shown: every finding that is no consequence of another one in `rows` (a root), each
// with its consequences (transitively, in report order) nested under it.
std::vector<std::pair<const index_row *, std::vector<const index_row *>>>
group_by_cause(const std::vector<index_row> &rows) {
  auto cause_of = [&](const index_row &r) -> const index_row * {
    if (!r.f->after) return nullptr;
    for (const index_row &c : rows)
      if (&c != &r && c.pid == r.pid && c.program == r.program && c.f->id == *r.f->after) return &c;
    return nullptr;
  };
  auto root_of = [&](const index_row &r) {
    const index_row *root = &r;
    for (std::size_t hops = 0; hops < rows.size(); ++hops) // a malformed report may loop
      if (const index_row *c = cause_of(*root))
        root = c;
      else
        break;
    return root;
  };
  std::vector<std::pair<const index_row *, std::vector<const index_row *>>> out;
  std::map<const index_row *, std::size_t> at;
  for (const index_row &r : rows)
    if (root_of(r) == &r) at[&r] = out.size(), out.push_back({&r, {}});
  for (const index_row &r : rows)
    if (const index_row *root = root_of(r); root != &r && at.count(root))
      out[at[root]].second.push_back(&r);
  return out;
}

void findings_index(std::ostringstream &o, const std::vector<index_row> &all, bool programs) {
  const auto rows = group_by_cause(all);
  std::map<std::string, int> kinds;
  for (const auto &r : rows) ++kinds[r.first->f->kind];
  o << "<div class=\"controls\" id=\"controls\" hidden><input id=\"filter\" type=\"search\" "
       "placeholder=\"Filter findings\" aria-label=\"Filter findings\">";
  for (const auto &[kind, n] : kinds)
    o << "<label><input type=\"checkbox\" checked data-kind=\"" << esc(kind) << "\"> " << esc(kind)
      << " (" << n << ")</label>";
  o << "<span>showing <strong id=\"shown\">" << rows.size() << "</strong> of " << rows.size()
    << "</span></div>\n<table id=\"index\"><thead><tr><th data-type=\"number\">#</th><th>kind</th>"
       "<th>certainty</th><th>source</th>"
    << (programs ? "<th>program</th>" : "")
    << "<th>summary</th><th>where</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto &[row, consequences] = rows[i];
    const finding &f = *row->f;
    o << "<tr data-kind=\"" << esc(f.kind) << "\"><td data-key=\"" << i + 1 << "\"><a href=\""
      << esc(row->href) << "\">" << i + 1 << "</a></td><td>" << esc(f.kind) << "</td><td class=\""
      << esc(f.certainty) << "\" data-key=\"" << certainty_rank(f.certainty) << "\">"
      << esc(f.certainty) << "</td><td>" << esc(row->source) << "</td>";
    if (programs) o << "<td>" << esc(row->program) << "</td>";
    o << "<td>" << esc(f.summary);
    if (!consequences.empty()) {
      o << "<ul class=\"consequences\">";
      for (const index_row *c : consequences)
        o << "<li><a href=\"" << esc(c->href) << "\">" << esc(c->f->kind) << "</a> "
          << esc(consequence(*c->f)) << ": " << esc(c->f->summary) << "</li>";
      o << "</ul>";
    }
    o << "</td><td><code>" << (f.actors.empty() ? "" : where(f.actors.front().where))
      << "</code></td></tr>\n";
  }
  o << "</tbody></table>\n";
}

void actors_table(std::ostringstream &o, const finding &f) {
  o << "<table class=\"actors\"><tr><th>actor</th><th>operation</th><th>resource</th><th>where</th>"
       "<th>waited</th><th>waits for</th></tr>\n";
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
}

// Each step's source lines, its own line highlighted, with the step's note beside it.
void source_steps(std::ostringstream &o, const finding &f) {
  bool any = false;
  for (const actor_entry &a : f.actors) {
    const location &l = a.where;
    if (l.context.empty()) continue;
    if (!any) o << "<h3>Source</h3>\n";
    any = true;
    o << "<div class=\"step\"><p><strong>" << esc(a.name) << "</strong>: " << esc(a.op)
      << (a.resource.empty() ? "" : " on " + esc(a.resource)) << " &mdash; <code>" << where(l)
      << "</code></p><table class=\"src\">\n";
    for (std::size_t k = 0; k < l.context.size(); ++k) {
      const unsigned line = l.first_line + static_cast<unsigned>(k);
      const bool hl = line == l.line;
      o << "<tr" << (hl ? " class=\"hl\"" : "") << "><td class=\"ln\">" << line
        << "</td><td class=\"code\"><pre>" << esc(l.context[k]) << "</pre></td><td class=\"note\">"
        << (hl ? esc(a.note.empty() ? a.op : a.note) : "") << "</td></tr>\n";
    }
    o << "</table></div>\n";
  }
}

void finding_section(std::ostringstream &o, const report &r, const finding &f, std::size_t i) {
  const std::string id = "f" + std::to_string(i);
  o << "<section class=\"finding\" id=\"" << id << "\" data-kind=\"" << esc(f.kind) << "\"><h2>"
    << i + 1 << ". " << esc(f.kind) << " <span class=\"" << esc(f.certainty) << "\">"
    << esc(f.certainty) << "</span>"
    << (f.id ? " <span class=\"fid\">finding " + std::to_string(f.id) + "</span>" : "")
    << "</h2>\n<p class=\"summary\">" << esc(f.summary) << "</p>\n";
  if (f.after) o << "<p class=\"after\">Consequence: " << esc(consequence(f)) << "</p>\n";
  if (!f.rule.empty()) o << "<p>Rule: <code>" << esc(f.rule) << "</code></p>\n";
  if (!f.cycle.empty()) {
    o << "<p class=\"cycle-text\">Cycle: ";
    for (const auto &n : f.cycle) o << esc(n) << " &rarr; ";
    o << esc(f.cycle.front()) << "</p>\n";
  }
  if (const std::string svg = wait_for_svg(f, id); !svg.empty())
    o << "<figure class=\"graph\">" << svg << "<figcaption>Wait-for graph</figcaption></figure>\n";
  actors_table(o, f);
  if (f.bypass_count) {
    o << "<p>Served instead (" << *f.bypass_count << " times):";
    for (const auto &n : f.served_instead) o << " " << esc(n);
    o << "</p>\n";
  }
  if (!f.action.empty()) o << "<p>Action: " << esc(f.action) << "</p>\n";
  source_steps(o, f);
  if (!r.trace.empty()) {
    o << "<h3>Timeline (flight recorder)</h3>\n<figure class=\"timeline\">"
      << space_time_svg(r.trace, f, id)
      << "<figcaption>One lane per actor; shaded: blocked; arrows: messages; hover for Lamport "
         "and vector clocks.</figcaption></figure>\n";
  }
  o << "</section>\n";
}

} // namespace

std::string to_html(const report &r) {
  std::ostringstream o;
  const std::string title = "gridlock " + r.source + " report: " + r.program;
  page_head(o, title,
            std::to_string(r.findings.size()) + " finding" + (r.findings.size() == 1 ? "" : "s") +
                (r.pid ? " \u00b7 pid " + std::to_string(r.pid) : "") +
                (r.trace.empty() ? "" : " \u00b7 flight recorder on"));
  if (r.findings.empty()) {
    o << "<p>No finding.</p>\n";
  } else {
    std::vector<index_row> rows;
    for (std::size_t i = 0; i < r.findings.size(); ++i)
      rows.push_back({&r.findings[i], r.source, r.program, "#f" + std::to_string(i), r.pid});
    findings_index(o, rows, false);
    for (std::size_t i = 0; i < r.findings.size(); ++i) finding_section(o, r, r.findings[i], i);
  }
  page_tail(o);
  return o.str();
}

std::string to_html_index(const std::vector<indexed_report> &reports, const std::string &title) {
  std::ostringstream o;
  std::vector<index_row> rows;
  for (const indexed_report &x : reports)
    for (std::size_t i = 0; i < x.r.findings.size(); ++i)
      rows.push_back({&x.r.findings[i], x.r.source,
                      x.r.program + (x.r.pid ? " (" + std::to_string(x.r.pid) + ")" : ""),
                      x.html_file.empty() ? x.json_file : x.html_file + "#f" + std::to_string(i),
                      x.r.pid});
  page_head(o, title,
            std::to_string(rows.size()) + " finding" + (rows.size() == 1 ? "" : "s") + " in " +
                std::to_string(reports.size()) + " report" + (reports.size() == 1 ? "" : "s"));
  if (rows.empty())
    o << "<p>No finding.</p>\n";
  else
    findings_index(o, rows, true);
  page_tail(o);
  return o.str();
}

} // namespace gridlock::report
