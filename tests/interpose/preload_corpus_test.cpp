// The preload corpus: unmodified C and C++ programs (tests/interpose/programs/, built without
// gridlock) run under gridlock-run, and the same sources linked with gridlock::interpose; each
// program's expectations are inline in its source:
//
//   line 1:  // expect: deadlock definite | deadlock probable | lock-order-inversion | clean
//   a line:  ... // EXPECT: <op>[ by <thread name>]   a thread blocks here for ever (deadlocks)
//   a line:  ... // EXPECT: lock order               an acquisition of the inversion
//
// A deadlock program must be reported with every EXPECT line as an actor of a finding of that
// certainty, and the first actor of the first finding on an EXPECT line (the line to look at
// first); a clean program must exit 0 with no finding at all.
#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace gridlock::testing;

struct site {
  unsigned line = 0;
  std::string op;    // "mutex lock", ...; "lock order" for an inversion's acquisition
  std::string actor; // empty: any
};

struct expectation {
  std::string verdict; // the line-1 words after "expect: "
  std::vector<site> sites;
};

expectation expectation_of(const fs::path &source) {
  expectation e;
  std::ifstream in(source);
  std::string line;
  const std::regex header(R"(^// expect: (.+?)\s*$)");
  const std::regex at(R"(// EXPECT: (.+?)(?: by (\S+))?\s*$)");
  for (unsigned n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (n == 1 && std::regex_search(line, m, header)) e.verdict = m[1];
    if (std::regex_search(line, m, at)) e.sites.push_back({n, m[1], m[2]});
  }
  return e;
}

std::vector<std::string> programs() {
  std::vector<std::string> out;
  for (const auto &f : fs::directory_iterator(GRIDLOCK_PRELOAD_PROGRAMS_SRC))
    if (f.path().extension() == ".c" || f.path().extension() == ".cpp")
      out.push_back(f.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// An inversion's acquisitions are mutex, read or write locks: "lock order" names no operation.
bool on_site(const gridlock::report::actor_entry &a, const std::string &file, const site &s) {
  return fs::path(a.where.file).filename() == file && a.where.line == s.line &&
         (a.op == s.op || s.op == "lock order") && (s.actor.empty() || a.name == s.actor);
}

// Whether some finding of `kind` has an actor on the site.
bool reported(const std::vector<gridlock::report::finding> &findings, const std::string &kind,
              const std::string &file, const site &s) {
  return std::any_of(findings.begin(), findings.end(), [&](const auto &f) {
    return f.kind == kind && std::any_of(f.actors.begin(), f.actors.end(),
                                         [&](const auto &a) { return on_site(a, file, s); });
  });
}

std::string described(const std::vector<gridlock::report::finding> &findings) {
  std::string out;
  for (const auto &f : findings) {
    out += f.kind + " " + f.certainty + ":";
    for (const auto &a : f.actors)
      out += " [" + a.name + " " + a.op + " " + fs::path(a.where.file).filename().string() + ":" +
             std::to_string(a.where.line) + "]";
    out += "\n";
  }
  return out.empty() ? "no finding\n" : out;
}

// Under the sanitizers (scripts/test-sanitizers.sh), the programs and the preload are both
// instrumented. ASan: the preload comes before ASan's runtime in the library list, which ASan
// checks unless told not to. TSan: its own deadlock detector would report the corpus's
// intentional lock-order inversions (and halt); gridlock's are what is tested here.
std::vector<std::string> sanitizer_env() {
  std::vector<std::string> env;
  if (const char *asan = std::getenv("ASAN_OPTIONS"))
    env.push_back(std::string("ASAN_OPTIONS=") + asan + ":verify_asan_link_order=0");
  if (const char *tsan = std::getenv("TSAN_OPTIONS"))
    env.push_back(std::string("TSAN_OPTIONS=") + tsan + ":detect_deadlocks=0");
  return env;
}

// Runs corpus program `file` as `command args` under `options` and checks its inline
// expectations.
void check_corpus_program(const std::string &file, const std::string &command,
                          const std::vector<std::string> &args, const std::string &options) {
  const expectation e = expectation_of(fs::path(GRIDLOCK_PRELOAD_PROGRAMS_SRC) / file);
  ASSERT_FALSE(e.verdict.empty()) << file << ": no '// expect:' on line 1";
  const bool deadlock = e.verdict.starts_with("deadlock");
  const std::string kind = deadlock ? "deadlock" : e.verdict;
  // A deadlock program is killed once every line is reported; the others run to their end.
  const auto all_sites_reported = [&](const std::vector<gridlock::report::report> &reports) {
    const auto findings = all_findings(reports);
    return std::all_of(e.sites.begin(), e.sites.end(),
                       [&](const site &s) { return reported(findings, kind, file, s); });
  };
  const run_result r = run(command, options, args,
                           deadlock ? std::function(all_sites_reported) : nullptr, sanitizer_env());
  const auto findings = all_findings(r);
  SCOPED_TRACE(file + ":\n" + described(findings) + "stderr:\n" + r.err);
  if (e.verdict == "clean") {
    EXPECT_TRUE(r.exited && r.status == 0) << "status " << r.status;
    EXPECT_TRUE(findings.empty());
    return;
  }
  ASSERT_FALSE(e.sites.empty()) << file << ": no EXPECT line";
  for (const site &s : e.sites)
    EXPECT_TRUE(reported(findings, kind, file, s)) << "line " << s.line << ": " << s.op;
  if (!deadlock) {
    EXPECT_TRUE(r.exited && r.status == 0) << "status " << r.status;
    return;
  }
  const std::string certainty = e.verdict.substr(std::string("deadlock ").size());
  const auto first_deadlock = std::find_if(findings.begin(), findings.end(),
                                           [](const auto &f) { return f.kind == "deadlock"; });
  ASSERT_NE(first_deadlock, findings.end());
  const auto &first = *first_deadlock;
  EXPECT_EQ(first.certainty, certainty);
  EXPECT_FALSE(first.summary.empty());
  ASSERT_FALSE(first.actors.empty());
  EXPECT_TRUE(std::any_of(e.sites.begin(), e.sites.end(), [&](const site &s) {
    return on_site(first.actors.front(), file, s);
  })) << "the first actor is on no EXPECT line";
}

std::string built(const char *dir, const std::string &file) {
  return (fs::path(dir) / fs::path(file).stem()).string();
}

class PreloadCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(PreloadCorpus, ExpectationsHoldUnderGridlockRun) {
  check_corpus_program(GetParam(), GRIDLOCK_RUN,
                       {"--", built(GRIDLOCK_PRELOAD_PROGRAMS_BIN, GetParam())}, "");
}

// The same programs linked with gridlock::interpose instead of preloaded, with the preload's
// default report_leaks=0 (libgridlock's own default reports idle pool threads at exit).
class LinkedCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(LinkedCorpus, ExpectationsHoldLinkedWithGridlockInterpose) {
  check_corpus_program(GetParam(), built(GRIDLOCK_LINKED_PROGRAMS_BIN, GetParam()), {},
                       "report_leaks=0");
}

// The main job's unmodified example: a lucky run, its inversion predicted with both lines.
TEST(PreloadExample, BankTransfersInversionIsPredicted) {
  const run_result r = run(GRIDLOCK_RUN, "", {"--", GRIDLOCK_BANK_TRANSFERS}, {}, sanitizer_env());
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto findings = all_findings(r);
  ASSERT_EQ(findings.size(), 1u) << described(findings);
  const auto &f = findings[0];
  EXPECT_EQ(f.kind, "lock-order-inversion");
  EXPECT_EQ(f.certainty, "possible");
  ASSERT_EQ(f.actors.size(), 2u);
  // Both tellers take the payee's lock on the line of transfer() that locks it second.
  std::ifstream in(std::string(GRIDLOCK_EXAMPLES_SRC) + "/unmodified/bank_transfers.cpp");
  unsigned second_lock = 0;
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n)
    if (line.find("std::lock_guard payee(to.mu);") != std::string::npos) second_lock = n;
  ASSERT_NE(second_lock, 0u);
  for (const auto &a : f.actors) {
    EXPECT_EQ(fs::path(a.where.file).filename(), "bank_transfers.cpp");
    EXPECT_EQ(a.where.line, second_lock);
    EXPECT_EQ(a.op, "mutex lock");
  }
  EXPECT_EQ(f.resources.size(), 2u);
}

// Bad input to the launcher: one line on stderr and a non-zero status, never a run.
TEST(GridlockRun, BadInputIsOneLineAndNonZero) {
  struct bad_case {
    std::vector<std::string> args;
    std::vector<std::string> env;
    int status;
    std::string says;
  };
  const std::vector<bad_case> cases = {
      {{"--bogus", "--", "/bin/true"}, {}, 2, "unknown option '--bogus'"},
      {{"detect_delay_ms=x", "--", "/bin/true"}, {}, 2, "detect_delay_ms"},
      {{"no_such_option=1", "--", "/bin/true"}, {}, 2, "no_such_option"},
      {{"--"}, {}, 2, "no program given"},
      {{"--", "/no/such/program"}, {}, 127, "cannot run '/no/such/program'"},
      {{"--", "/bin/true"}, {"GRIDLOCK_PRELOAD=/no/such.so"}, 2, "no such file"},
  };
  for (const auto &c : cases) {
    std::vector<std::string> argv{GRIDLOCK_RUN};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const auto p = run_process(argv, c.env, std::chrono::seconds(30));
    SCOPED_TRACE(argv.back() + ": " + p.err);
    EXPECT_TRUE(p.exited);
    EXPECT_EQ(p.status, c.status);
    EXPECT_EQ(std::count(p.err.begin(), p.err.end(), '\n'), 1);
    EXPECT_NE(p.err.find("gridlock-run: error: "), std::string::npos);
    EXPECT_NE(p.err.find(c.says), std::string::npos);
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string> &info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}
INSTANTIATE_TEST_SUITE_P(Programs, PreloadCorpus, ::testing::ValuesIn(programs()), test_name);
INSTANTIATE_TEST_SUITE_P(Programs, LinkedCorpus, ::testing::ValuesIn(programs()), test_name);

} // namespace
