// Test support: the inline expectations of gridlock-check's annotated inputs, clang-tidy style.
// `CHECK-WARN: <rule> <certainty>` on the line a finding must point at; `CHECK-NOTE` on each
// other line a step of it must point at. A file without them must produce no finding.
#pragma once

#include <gridlock/report/report.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <tuple>

namespace gridlock::testing {

using warning = std::tuple<unsigned, std::string, std::string>; // line, rule, certainty

struct expectations {
  std::set<warning> warnings;
  std::set<unsigned> notes; // every line a step points at (the warning lines included)

  bool operator==(const expectations &) const = default;
};

inline expectations expected_in(const std::string &file) {
  expectations e;
  std::ifstream in(file);
  const std::regex warn(R"(CHECK-WARN: (\S+) (\S+))");
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, warn)) {
      e.warnings.insert({n, m[1], m[2]});
      e.notes.insert(n);
    }
    if (line.find("CHECK-NOTE") != std::string::npos) e.notes.insert(n);
  }
  return e;
}

// What a report holds, in the same terms.
inline expectations found_in(const gridlock::report::report &r) {
  expectations e;
  for (const auto &f : r.findings) {
    if (f.actors.empty()) continue;
    e.warnings.insert({f.actors.front().where.line, f.rule, f.certainty});
    for (const auto &a : f.actors) e.notes.insert(a.where.line);
  }
  return e;
}

inline std::ostream &operator<<(std::ostream &o, const expectations &e) {
  for (const auto &[line, rule, certainty] : e.warnings)
    o << "warn " << line << " " << rule << " " << certainty << "; ";
  o << "notes";
  for (unsigned n : e.notes) o << " " << n;
  return o;
}

} // namespace gridlock::testing
