// The report model shared by the runtime, the static checker and every renderer.
//
// Field names are binding (see DESIGN.md, "Report model"): JSON, one object per report file.
// Strings are stored as given; renderers escape them for their format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gridlock::report {

struct location {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  std::string function;
};

// One actor of a finding: what it does, on which resource, where, for how long.
struct actor_entry {
  std::string name;
  std::string op;       // a wait reason: "chan send", "chan receive", "mutex lock", ...
  std::string resource; // the resource name ("" for none)
  location where;       // JSON: "location"
  std::int64_t waited_ms = -1;
  std::vector<std::string> waits_for; // actors that could release it (names)
  std::string mode;                   // "any" (OR wait) or "all" (AND wait)
  std::string note; // static findings: what this step does, one sentence
};

struct resource_entry {
  std::string name;
  std::string kind; // "channel", "mailbox", "mutex", "thread"
  std::optional<std::int64_t> capacity;
};

struct finding {
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
  std::string action;             // what the runtime did: "reported", "aborted", "broke <actor>"
};

struct report {
  std::string tool = "gridlock";
  int schema_version = 1;
  std::string source = "runtime"; // or "static"
  std::string program;
  std::int64_t pid = 0;
  std::vector<finding> findings;
};

// JSON text of the report (DESIGN.md schema). Never throws for a well-formed model.
std::string to_json(const report &r);
// Parses a report; throws std::runtime_error with a one-line reason on malformed input.
report from_json(const std::string &text);

// The sanitizer-style terminal text: a "WARNING: gridlock: <kind> (pid=N)" header per finding,
// its actors, and a "SUMMARY:" line.
std::string to_text(const report &r);

// Compiler-diagnostic text, as clang-tidy prints it: per finding one
// "file:line:col: warning: <summary> [<rule>]" line, then one "file:line:col: note: ..." per actor.
std::string to_diagnostics(const report &r);

// One self-contained HTML page (no script, no fetch; a Content-Security-Policy forbids both):
// a findings index and, per finding, its actors, cycle and notes. Every program-supplied string is
// escaped.
std::string to_html(const report &r);

// SARIF 2.1.0 (one run): a result per finding with a stable ruleId, its locations, related
// locations, one threadFlow per actor in codeFlows, and partialFingerprints. File URIs are made
// relative to `root` when they are below it.
std::string to_sarif(const report &r, const std::string &tool_name, const std::string &root);

} // namespace gridlock::report
