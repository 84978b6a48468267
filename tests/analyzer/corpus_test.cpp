// gridlock-check over the corpus written like application code (tests/analyzer/corpus/): each
// program is one .cpp file, or a folder whose .cpp files are one program checked together (the
// CHECK lines may sit in any of its files). Every program must parse, and must produce exactly
// the findings its CHECK-WARN / CHECK-NOTE lines say; a program without them, none.
//
// `kNotYet` lists the programs gridlock-check does not get right yet, each with what it lacks.
// Such a program is skipped with that reason while it is still wrong, and fails once it is right,
// so that the list only shrinks.
#include "expectations.hpp"
#include "process.hpp"

#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;
using gridlock::testing::expectations;

namespace {

const fs::path corpus = GRIDLOCK_ANALYZER_CORPUS;

const std::map<std::string, std::string> kNotYet = {
    {"cls_mtu_bank_audit", "a loop over a std::vector's elements has an unknown count (no "
                           "container sizes): found, but only 'possible'"},
    {"cls_registry_ack_never_sent", "gridlock-unmatched is always 'possible'; this receive is "
                                    "reached on every run"},
    {"flow_credit_pipeline", "found, but only 'possible': the loop's exit depends on a received "
                             "value (needs the actors simulated together)"},
    {"flow_request_reply_pipelined", "the reply channel travels inside each request: channel "
                                     "ends received in messages are not followed"},
    {"flow_select_no_case_fires", "a select none of whose cases can fire is not reported"},
    {"flow_wait_group_results_stuck", "wait_group::wait is not modelled"},
};

std::vector<fs::path> programs() {
  std::vector<fs::path> out;
  for (const auto &e : fs::directory_iterator(corpus))
    if (e.is_directory() || e.path().extension() == ".cpp") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> files_of(const fs::path &program, const std::vector<std::string> &exts) {
  if (!fs::is_directory(program)) return {program};
  std::vector<fs::path> out;
  for (const auto &e : fs::directory_iterator(program))
    if (std::find(exts.begin(), exts.end(), e.path().extension()) != exts.end())
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class Corpus : public ::testing::TestWithParam<fs::path> {};

} // namespace

TEST_P(Corpus, FindsExactlyWhatTheProgramSays) {
  const fs::path program = GetParam();
  const expectations want = gridlock::testing::expected_in(files_of(program, {".cpp", ".hpp"}));
  std::vector<std::string> argv{GRIDLOCK_CHECK_BIN, "--format", "json"};
  for (const fs::path &f : files_of(program, {".cpp"})) argv.push_back(f.string());
  argv.insert(argv.end(), {"--", "-std=c++20", "-I" + std::string(GRIDLOCK_INCLUDE_DIR)});
  const auto r = gridlock::testing::run_process(argv);
  ASSERT_TRUE(r.exited);
  ASSERT_TRUE(r.status == 0 || r.status == 1) << r.err; // 2: did not parse; a signal: a crash
  const expectations got = gridlock::testing::found_in(gridlock::report::from_json(r.out));
  const auto gap = kNotYet.find(program.stem().string());
  if (gap == kNotYet.end()) {
    EXPECT_EQ(got, want);
    return;
  }
  ASSERT_NE(got, want) << program.stem() << " is right now: remove it from kNotYet";
  GTEST_SKIP() << gap->second << "\n  want: " << want << "\n  got:  " << got;
}

INSTANTIATE_TEST_SUITE_P(Programs, Corpus, ::testing::ValuesIn(programs()),
                         [](const auto &info) { return info.param.stem().string(); });
