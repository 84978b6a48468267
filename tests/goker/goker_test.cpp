// GoKer's blocking bugs (GoBench), ported to gridlock: each port is one program in this folder,
// written as Go's kernel is (same types, goroutines as named gridlock::threads, each Go primitive
// by its gridlock counterpart), all linked into goker_ports. `goker_ports <port> buggy` deadlocks
// as the original does and must be found; `goker_ports <port> fixed` runs the upstream fix and
// must exit 0 with no report.
//
// A port's expectations are comments in its source:
//   // GOKER-FINDING: <kind> <certainty>   the finding the buggy run must report
//   // GOKER-CYCLE: <actor> <actor> ...      the actors of its cycle, any order (omit: no cycle)
//   <code>  // EXPECT: <actor> | <op> | <resource>
//                                          that actor of the finding blocks in <op> on <resource>
//                                          at this line
#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

namespace {

using namespace gridlock::testing;
using gridlock::report::finding;

struct wait_expectation {
  std::string actor, op, resource;
  unsigned line = 0;
};

struct expectations {
  std::string kind, certainty;
  std::vector<std::string> cycle; // sorted
  std::vector<wait_expectation> waits;
};

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  return s;
}

std::vector<std::string> words(const std::string &s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string source_of(const std::string &port) {
  return std::string(GRIDLOCK_GOKER_SRC) + "/" + port + ".cpp";
}

expectations read_expectations(const std::string &port) {
  expectations e;
  std::ifstream in(source_of(port));
  std::string line;
  const std::string finding_tag = "// GOKER-FINDING:", cycle_tag = "// GOKER-CYCLE:",
                    wait_tag = "// EXPECT:";
  for (unsigned n = 1; std::getline(in, line); ++n) {
    if (const auto at = line.find(finding_tag); at != std::string::npos) {
      const auto w = words(line.substr(at + finding_tag.size()));
      if (w.size() == 2) e.kind = w[0], e.certainty = w[1];
    } else if (const auto at = line.find(cycle_tag); at != std::string::npos) {
      e.cycle = words(line.substr(at + cycle_tag.size()));
      std::sort(e.cycle.begin(), e.cycle.end());
    } else if (const auto at = line.find(wait_tag); at != std::string::npos) {
      std::vector<std::string> parts;
      std::stringstream fields(line.substr(at + wait_tag.size()));
      for (std::string f; std::getline(fields, f, '|');) parts.push_back(trim(f));
      if (parts.size() == 3)
        e.waits.push_back({parts[0], parts[1], parts[2], n});
      else
        ADD_FAILURE() << port << ":" << n << ": EXPECT wants 'actor | op | resource'";
    }
  }
  return e;
}

// The first finding of the expected kind and certainty, if any.
const finding *matching(const std::vector<gridlock::report::report> &reports,
                        const expectations &e) {
  for (const auto &r : reports)
    for (const auto &f : r.findings)
      if (f.kind == e.kind && f.certainty == e.certainty) return &f;
  return nullptr;
}

class GoKer : public ::testing::TestWithParam<std::string> {};

TEST_P(GoKer, BuggyVersionIsFound) {
  const std::string port = GetParam();
  const expectations e = read_expectations(port);
  ASSERT_FALSE(e.kind.empty()) << port << ": no GOKER-FINDING comment";
  // Stops the program once the expected finding is on disk (a deadlock keeps it stuck).
  const auto r =
      run(GRIDLOCK_GOKER_PROGRAM, "on_deadlock=report:report_format=json", {port, "buggy"},
          [&](const auto &reports) { return matching(reports, e) != nullptr; });
  const finding *f = matching(r.reports, e);
  ASSERT_NE(f, nullptr) << port << ": no " << e.kind << " " << e.certainty
                        << " finding; findings: " << all_findings(r).size() << "\nstderr:\n"
                        << r.err;
  std::vector<std::string> cycle = f->cycle;
  std::sort(cycle.begin(), cycle.end());
  EXPECT_EQ(cycle, e.cycle) << f->summary;
  for (const auto &w : e.waits)
    expect_actor(*f, w.actor, w.op, w.resource, source_of(port), w.line);
}

TEST_P(GoKer, FixedVersionRunsClean) {
  const std::string port = GetParam();
  const auto r =
      run(GRIDLOCK_GOKER_PROGRAM, "on_deadlock=report:report_format=json", {port, "fixed"});
  EXPECT_TRUE(r.exited) << r.err;
  EXPECT_EQ(r.status, 0) << r.err;
  for (const auto &f : all_findings(r)) ADD_FAILURE() << port << " fixed: " << f.summary;
}

std::vector<std::string> ports() {
  std::vector<std::string> out;
  std::stringstream list(GRIDLOCK_GOKER_PORTS);
  for (std::string p; std::getline(list, p, ',');) out.push_back(p);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Ports, GoKer, ::testing::ValuesIn(ports()),
                         [](const auto &info) { return info.param; });

} // namespace
