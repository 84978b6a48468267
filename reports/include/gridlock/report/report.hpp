// The report model shared by the runtime, the static checker and every renderer.
//
// Field names are stable: users' tools read them (docs/architecture.md, "The report model", lists
// them and the values each producer writes). JSON, one object per report file.
// Strings are stored as given; renderers escape them for their format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gridlock::report {

struct location {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  std::string function{};
  // The source lines around `line` (first_line..), when the producer could read the file; the
  // HTML report shows them with `line` highlighted. JSON: "context": {"first_line", "lines"}.
  unsigned first_line = 0;
  std::vector<std::string> context{};

  static location at(std::string file, unsigned line, unsigned column = 0,
                     std::string function = {}) {
    location l;
    l.file = std::move(file);
    l.line = line;
    l.column = column;
    l.function = std::move(function);
    return l;
  }
};

// One actor of a finding: what it does, on which resource, where, for how long.
struct actor_entry {
  std::string name;
  std::string op;       // a wait reason: "chan send", "chan receive", "mutex lock", ...
  std::string resource; // the resource name ("" for none)
  location where;       // JSON: "location"
  std::int64_t waited_ms = -1;
  std::vector<std::string> waits_for{}; // actors that could release it (names)
  std::string mode{};                   // "any" (OR wait) or "all" (AND wait)
  std::string note{};                   // static findings: what this step does, one sentence
};

struct resource_entry {
  std::string name;
  std::string kind; // "channel", "mailbox", "mutex", "thread"
  std::optional<std::int64_t> capacity;
};

struct finding {
  // Runtime findings: numbered from 1 in the order a process reports them (0: none). A finding
  // that is a consequence of acting on an earlier one names it in `after` (JSON "after"): e.g.
  // the actors left stuck once on_deadlock=break broke finding 1's victim.
  std::int64_t id = 0;
  std::optional<std::int64_t> after;
  std::string after_why; // "after breaking 'replica-3'" (JSON "after_why")
  std::string kind;      // "deadlock", "leak", "starvation", "circular-send", ...
  std::string rule;      // static findings: the rule id, e.g. "gridlock-circular-send"
  std::string certainty; // "definite" | "probable" (runtime); "definite" | "possible" (static)
  std::string summary;
  std::vector<actor_entry> actors;
  std::vector<resource_entry> resources;
  std::vector<std::string> cycle; // actor names, in wait order
  // starvation: how many others were served while it waited, and who (names, most recent first)
  std::optional<std::int64_t> bypass_count;
  std::vector<std::string> served_instead;
  // What the runtime did (runtime-hooks/src/detector.cpp; empty for static findings): "reported",
  // "aborted the process" (on_deadlock=abort), "broke the wait of '<actor>' (deadlock_error)"
  // (on_deadlock=break), "ended" / "ended (broken)" (a starvation's epilogue: the wait or message
  // was served at last / the wait was broken), "reported as the process died" (kind "crash").
  std::string action;
  // With a trace (trace=1): when the last wait of the cycle began and when the detector found it,
  // in the trace's microseconds.
  std::optional<std::int64_t> closed_us;
  std::optional<std::int64_t> detected_us;
};

// One event of the flight recorder (trace=1). `event` is one of a fixed vocabulary: "send",
// "receive", "post", "block", "unblock", "lock", "unlock", "spawn", "join", "read lock",
// "read unlock". A send or post and the
// receive of the same message share `msg` (> 0); the receive names the sender as `peer`, and its
// clocks already include the sender's.
struct trace_event {
  std::uint64_t actor_id = 0;
  std::string actor;
  std::uint64_t seq = 0; // per actor, from 1
  std::int64_t t_us = 0; // steady clock, microseconds since the recorder started
  std::string event;
  std::string resource;
  std::string op; // block: the wait operation
  std::uint64_t msg = 0;
  std::uint64_t peer_id = 0; // receive: the sender; spawn/join: the child
  std::string peer;
  std::uint64_t lamport = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> vc; // (actor_id, count), sorted by actor
  location where;
};

struct report {
  std::string tool = "gridlock";
  int schema_version = 1;
  std::string source = "runtime"; // or "static"
  std::string program;
  std::int64_t pid = 0;
  std::vector<finding> findings;
  std::vector<trace_event> trace; // the flight recorder's events, by time (JSON: "trace")
};

// "after breaking 'replica-3' (finding 1)": how a consequence finding (`after` set) follows from
// its cause, for every renderer.
inline std::string consequence(const finding &f) {
  return f.after_why + " (finding " + std::to_string(f.after.value_or(0)) + ")";
}

// JSON text of the report (the schema in docs/architecture.md, "The report model"). Never throws
// for a well-formed model.
std::string to_json(const report &r);
// Parses a report; throws std::runtime_error with a one-line reason on malformed input.
report from_json(const std::string &text);

// The sanitizer-style terminal text: a "WARNING: gridlock: <kind> (pid=N)" header per finding,
// its actors, and a "SUMMARY:" line.
std::string to_text(const report &r);

// Compiler-diagnostic text, as clang-tidy prints it: per finding one
// "file:line:col: warning: <summary> [<rule>]" line, then one "file:line:col: note: ..." per actor.
std::string to_diagnostics(const report &r);

// One self-contained HTML page that works offline: a sortable, filterable findings index and, per
// finding, the wait-for graph as SVG (cycle highlighted, AND waits solid, OR waits dashed), its
// actors, the source lines of each step with their notes, and with a trace a space-time diagram.
// Every program-supplied string is escaped; the Content-Security-Policy allows no fetch and no
// script but the page's own (by hash).
std::string to_html(const report &r);

// A report of a report directory, for its index page.
struct indexed_report {
  std::string html_file; // relative link to its page ("" if it has none)
  std::string json_file;
  report r;
};

// The index page of several reports: one sortable, filterable row per finding, linking to the
// finding in its report's page (or to the JSON). Same safety rules as to_html.
std::string to_html_index(const std::vector<indexed_report> &reports, const std::string &title);

// SARIF 2.1.0 (one run): a result per finding with a stable ruleId, its locations, related
// locations, one threadFlow per actor in codeFlows, and partialFingerprints (FNV-1a of the rule
// and the relative steps: the same on every machine). Files below `root`, and files already
// relative, are written relative to %SRCROOT% (run.originalUriBaseIds, whose absolute value is
// left to the consumer); other absolute files as file:// URIs. `rules` describes rule ids (see
// render_options::rules).
std::string to_sarif(const report &r, const std::string &tool_name, const std::string &root,
                     const std::map<std::string, std::string> &rules = {});

// The Chrome trace-event JSON that ui.perfetto.dev and chrome://tracing open: one track per actor,
// blocked intervals and findings' waits as slices, messages as flows from send to receive, an
// instant marker where each deadlock was detected.
std::string to_perfetto(const report &r);

// Fills each location's `context` (up to `radius` lines on each side) from the files on disk,
// where it is empty and the file is readable. Files that cannot be read are skipped silently.
void attach_source_context(report &r, unsigned radius = 2);

} // namespace gridlock::report
