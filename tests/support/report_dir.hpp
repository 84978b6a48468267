// Test support: a private report directory for one test, and waiting for reports to appear.
#pragma once

#include "temp_dir.hpp"

#include <gridlock/errors.hpp>
#include <gridlock/options.hpp>
#include <gridlock/report/formats.hpp>
#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gridlock::testing {

namespace fs = std::filesystem;

// Reports written in `dir`, in the order they were written (gridlock.<pid>.<n>.json by n).
inline std::vector<report::report> read_reports(const fs::path &dir) {
  std::vector<std::pair<long, fs::path>> files;
  if (fs::exists(dir))
    for (const auto &e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (!report::is_report_json(name)) continue;
      const std::string stem = e.path().stem().string(); // gridlock.<pid>.<n>
      files.emplace_back(std::stol(stem.substr(stem.rfind('.') + 1)), e.path());
    }
  std::sort(files.begin(), files.end());
  std::vector<report::report> out;
  for (const auto &[n, p] : files) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(report::from_json(text.str()));
  }
  return out;
}

// The folder every report_dir of this test binary lives in, removed with them at its exit. The
// detector may finish a report after its test ended and removed its report_dir; publishing makes
// the report directory again but not its parents, so such a late report lands in here (or nowhere,
// once this is gone) and never litters $TMPDIR.
inline const fs::path &reports_root() {
  static const temp_dir root("tests");
  return root.path();
}

// A fresh report directory, configured into the running gridlock with a short detection delay
// and on_deadlock=break so that deadlocked test threads recover.
class report_dir {
public:
  explicit report_dir(const std::string &extra_options = {}, int delay_ms = 50)
      : dir_("reports", reports_root()), delay_ms_(delay_ms) {
    gridlock::configure("report_dir=" + path().string() + ":detect_delay_ms=" +
                        std::to_string(delay_ms) + ":on_deadlock=break:report_format=json" +
                        (extra_options.empty() ? "" : ":" + extra_options));
  }
  const fs::path &path() const { return dir_.path(); }
  std::vector<report::report> reports() const { return read_reports(path()); }

  // Polls until at least n findings were reported; generous deadline, never a fixed sleep.
  std::vector<report::finding>
  wait_for_findings(std::size_t n, std::chrono::seconds deadline = std::chrono::seconds(30)) const {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      std::vector<report::finding> all;
      for (auto &r : reports()) all.insert(all.end(), r.findings.begin(), r.findings.end());
      if (all.size() >= n || std::chrono::steady_clock::now() > until) return all;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  int delay_ms() const { return delay_ms_; }

private:
  temp_dir dir_;
  int delay_ms_;
};

inline const report::actor_entry *find_actor(const report::finding &f, const std::string &name) {
  for (const auto &a : f.actors)
    if (a.name == name) return &a;
  return nullptr;
}

// 1 if f() threw deadlock_error (the detector broke its wait, on_deadlock=break), 0 if it
// returned.
template <class F> int broken(F f) {
  try {
    f();
    return 0;
  } catch (const gridlock::deadlock_error &) {
    return 1;
  }
}

inline std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

} // namespace gridlock::testing
