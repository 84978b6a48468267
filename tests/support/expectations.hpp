// Test support: the inline expectations of gridlock-check's annotated inputs, clang-tidy style.
// `CHECK-WARN: <rule> <certainty>` on the line a finding must point at; `CHECK-NOTE` on each
// other line a step of it must point at. A file without them must produce no finding. Lines are
// named by file name and number, so a program of several files is compared as a whole.
#pragma once

#include <gridlock/report/report.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace gridlock::testing {

using source_line = std::pair<std::string, unsigned>;                        // file name, line
using warning = std::tuple<std::string, unsigned, std::string, std::string>; // ..., rule, certainty

struct expectations {
  std::set<warning> warnings;
  std::set<source_line> notes; // every line a step points at (the warning lines included)

  bool operator==(const expectations &) const = default;
};

inline expectations expected_in(const std::vector<std::filesystem::path> &files) {
  expectations e;
  const std::regex warn(R"(CHECK-WARN: (\S+) (\S+))");
  for (const auto &file : files) {
    std::ifstream in(file);
    const std::string name = file.filename().string();
    std::string line;
    for (unsigned n = 1; std::getline(in, line); ++n) {
      std::smatch m;
      if (std::regex_search(line, m, warn)) {
        e.warnings.insert({name, n, m[1], m[2]});
        e.notes.insert({name, n});
      }
      if (line.find("CHECK-NOTE") != std::string::npos) e.notes.insert({name, n});
    }
  }
  return e;
}

inline expectations expected_in(const std::string &file) {
  return expected_in(std::vector<std::filesystem::path>{file});
}

// What a report holds, in the same terms.
inline expectations found_in(const gridlock::report::report &r) {
  expectations e;
  const auto name = [](const std::string &f) {
    return std::filesystem::path(f).filename().string();
  };
  for (const auto &f : r.findings) {
    if (f.actors.empty()) continue;
    const auto &first = f.actors.front().where;
    e.warnings.insert({name(first.file), first.line, f.rule, f.certainty});
    for (const auto &a : f.actors) e.notes.insert({name(a.where.file), a.where.line});
  }
  return e;
}

inline std::ostream &operator<<(std::ostream &o, const expectations &e) {
  for (const auto &[file, line, rule, certainty] : e.warnings)
    o << "warn " << file << ":" << line << " " << rule << " " << certainty << "; ";
  o << "notes";
  for (const auto &[file, line] : e.notes) o << " " << file << ":" << line;
  return o;
}

} // namespace gridlock::testing
