// Test support for the report tests: the two-actor deadlock most of them render.
#pragma once

#include <gridlock/report/report.hpp>

namespace gridlock::testing {

// A and B each blocked in a send to the other (x.cpp lines 12 and 20), reported by pid 42.
inline report::report sample_report() {
  report::report r;
  r.program = "prog";
  r.pid = 42;
  report::finding f;
  f.kind = "deadlock";
  f.certainty = "definite";
  f.summary = "2 actors wait for each other in a cycle: A -> B -> A";
  f.actors = {{"A", "chan send", "a", {"x.cpp", 12, 3, "f()"}, 250, {"B"}, "any"},
              {"B", "chan send", "b", {"x.cpp", 20, 3, "g()"}, 240, {"A"}, "any"}};
  f.resources = {{"a", "channel", 0}, {"b", "channel", 0}};
  f.cycle = {"A", "B"};
  f.action = "reported";
  r.findings.push_back(f);
  return r;
}

} // namespace gridlock::testing
