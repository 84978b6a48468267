// End-to-end test support: run a program as a process under GRIDLOCK_OPTIONS with a fresh report
// directory, read what it wrote, and check findings against the `EXPECT:` comments of its source.
#pragma once

#include "process.hpp"
#include "report_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace gridlock::testing {

struct run_result {
  bool exited = false;
  int status = -1; // exit status, or the signal when !exited
  std::string out, err;
  std::vector<report::report> reports;     // the JSON reports, in the order they were written
  std::map<std::string, std::string> html; // file name -> content: gridlock.*.html, index.html
};

// Runs `exe args...` with GRIDLOCK_OPTIONS=report_dir=<fresh dir>:detect_delay_ms=100:<options>,
// and collects what it wrote there before the directory is removed.
// With `until`, the program is killed as soon as the reports written so far satisfy it (a
// program that stays deadlocked after its report). `env`: more "KEY=value" variables.
inline run_result run(const std::string &exe, const std::string &options,
                      const std::vector<std::string> &args = {},
                      const std::function<bool(const std::vector<report::report> &)> &until = {},
                      std::vector<std::string> env = {}) {
  namespace fs = std::filesystem;
  const temp_dir tmp("e2e");
  const fs::path dir = tmp.path() / "reports";
  const std::string env_opt = "GRIDLOCK_OPTIONS=report_dir=" + dir.string() +
                              ":detect_delay_ms=100" + (options.empty() ? "" : ":" + options);
  std::vector<std::string> argv{exe};
  argv.insert(argv.end(), args.begin(), args.end());
  std::function<bool()> enough;
  if (until) enough = [&] { return until(read_reports(dir)); };
  env.push_back(env_opt);
  const auto p = run_process(argv, env, std::chrono::seconds(60), enough);
  run_result r{p.exited, p.status, p.out, p.err, read_reports(dir), {}};
  if (fs::exists(dir))
    for (const auto &e : fs::directory_iterator(dir))
      if (e.path().extension() == ".html") r.html[e.path().filename().string()] = slurp(e.path());
  return r;
}

// The line of `source` whose comment says "EXPECT: <what>".
inline unsigned expected_line(const std::string &source, const std::string &what) {
  std::ifstream in(source);
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n)
    if (line.find("EXPECT: " + what) != std::string::npos) return n;
  ADD_FAILURE() << "no 'EXPECT: " << what << "' in " << source;
  return 0;
}

inline const report::finding &first_finding(const run_result &r) {
  static const report::finding none;
  if (r.reports.empty() || r.reports[0].findings.empty()) {
    ADD_FAILURE() << "no finding reported; stderr:\n" << r.err;
    return none;
  }
  return r.reports[0].findings[0];
}

inline std::vector<report::finding> all_findings(const std::vector<report::report> &reports) {
  std::vector<report::finding> out;
  for (const auto &rep : reports) out.insert(out.end(), rep.findings.begin(), rep.findings.end());
  return out;
}

inline std::vector<report::finding> all_findings(const run_result &r) {
  return all_findings(r.reports);
}

inline void expect_actor(const report::finding &f, const std::string &name, const std::string &op,
                         const std::string &resource, const std::string &source, unsigned line) {
  namespace fs = std::filesystem;
  const auto *a = find_actor(f, name);
  ASSERT_NE(a, nullptr) << "no actor " << name;
  EXPECT_EQ(a->op, op) << name;
  EXPECT_EQ(a->resource, resource) << name;
  EXPECT_EQ(fs::path(a->where.file).filename(), fs::path(source).filename()) << name;
  EXPECT_EQ(a->where.line, line) << name;
}

inline int occurrences(const std::string &hay, const std::string &needle) {
  int n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

} // namespace gridlock::testing
