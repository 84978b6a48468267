// gridlock-check end to end, clang-tidy style: each input in inputs/ carries its expectations
// inline — `CHECK-WARN: <rule> <certainty>` on the line a warning must point at, `CHECK-NOTE` on
// each line a step of it must point at — and a file without them must produce no finding.
#include "expectations.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <tuple>

namespace fs = std::filesystem;
using gridlock::testing::expectations;
using gridlock::testing::run_process;

namespace {

const std::string tool = GRIDLOCK_CHECK_BIN;
const std::string inputs = GRIDLOCK_ANALYZER_INPUTS;
const std::string include_dir = GRIDLOCK_INCLUDE_DIR;

gridlock::report::report check(const std::vector<std::string> &args, int expected_status) {
  std::vector<std::string> argv{tool, "--format", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.status, expected_status) << r.err;
  return gridlock::report::from_json(r.out);
}

struct input {
  const char *file;
  const char *api; // nullptr: --api gridlock
};

class Inputs : public ::testing::TestWithParam<input> {};

} // namespace

TEST_P(Inputs, FindsExactlyWhatTheInputExpects) {
  const std::string file = inputs + "/" + GetParam().file;
  const expectations want = gridlock::testing::expected_in(file);
  std::vector<std::string> args;
  if (GetParam().api) args = {"--api", inputs + "/" + GetParam().api};
  args.insert(args.end(), {file, "--", "-std=c++20", "-I" + include_dir});
  const auto report = check(args, want.warnings.empty() ? 0 : 1);
  for (const auto &f : report.findings) {
    ASSERT_FALSE(f.actors.empty());
    for (const auto &a : f.actors) {
      EXPECT_FALSE(a.note.empty()) << f.summary;
      EXPECT_EQ(fs::path(a.where.file).filename(), fs::path(file).filename());
    }
    EXPECT_EQ(report.source, "static");
  }
  EXPECT_EQ(gridlock::testing::found_in(report), want);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, Inputs,
    ::testing::Values(input{"circular_send.cpp", nullptr}, input{"recv_recv.cpp", nullptr},
                      input{"unmatched.cpp", nullptr}, input{"lock_across_send.cpp", nullptr},
                      input{"negatives.cpp", nullptr}, input{"user_api.cpp", "user_api.json"},
                      input{"cxx20_bindings.cpp", nullptr}),
    [](const auto &info) {
      std::string name = fs::path(info.param.file).stem().string();
      name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
      return name;
    });

TEST(GridlockCheck, DiagnosticTextHasCompilerShape) {
  const auto r =
      run_process({tool, inputs + "/recv_recv.cpp", "--", "-std=c++20", "-I" + include_dir});
  EXPECT_EQ(r.status, 1);
  const std::string first = r.out.substr(0, r.out.find('\n'));
  EXPECT_TRUE(std::regex_match(
      first,
      std::regex(R"(.*recv_recv\.cpp:8:\d+: warning: receive cycle: .* \[gridlock-recv-recv\])")))
      << first;
  EXPECT_NE(r.out.find("recv_recv.cpp:8:6: note: 'A' blocks in chan receive 'b'"),
            std::string::npos)
      << r.out;
}

TEST(GridlockCheck, HtmlPageListsTheFindings) {
  const auto r = run_process({tool, "--format", "html", inputs + "/recv_recv.cpp", "--",
                              "-std=c++20", "-I" + include_dir});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(r.out.find("<code>gridlock-recv-recv</code>"), std::string::npos);
  EXPECT_NE(r.out.find("recv_recv.cpp:8:6"), std::string::npos);
}

TEST(GridlockCheck, SarifDescribesEachRuleAsItsRegistrationLineDoes) {
  const auto r = run_process({tool, "--format", "sarif", inputs + "/recv_recv.cpp", "--",
                              "-std=c++20", "-I" + include_dir});
  EXPECT_EQ(r.status, 1) << r.err;
  const auto rules = nlohmann::json::parse(r.out)["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 1u) << rules;
  EXPECT_EQ(rules[0]["id"], "gridlock-recv-recv");
  EXPECT_EQ(rules[0]["shortDescription"]["text"], "a cycle of actors blocked in receives");
}

TEST(GridlockCheck, JsonRoundTripsThroughTheSharedModel) {
  const auto r = run_process({tool, "--format", "json", inputs + "/circular_send.cpp", "--",
                              "-std=c++20", "-I" + include_dir});
  const auto report = gridlock::report::from_json(r.out);
  EXPECT_EQ(gridlock::report::to_json(report), r.out);
}

TEST(GridlockCheck, CompileDatabaseOfTheProjectItselfFindsTheSeedDeadlocks) {
  // -p as clang-tidy: the build's compile_commands.json gives each example its flags.
  const std::string examples = GRIDLOCK_EXAMPLES_SRC;
  std::vector<std::string> args{"-p", GRIDLOCK_BUILD_DIR};
  for (const auto &e : fs::directory_iterator(examples))
    if (e.path().extension() == ".cpp") args.push_back(e.path().string());
  const auto report = check(args, 1); // every example: only seeds 1 and 5 are static findings
  std::set<std::pair<std::string, std::string>> got;
  for (const auto &f : report.findings)
    got.insert({fs::path(f.actors[0].where.file).filename(), f.rule});
  EXPECT_EQ(got, (std::set<std::pair<std::string, std::string>>{
                     {"seed1_sync_sends.cpp", "gridlock-circular-send"},
                     {"seed5_mutex_across_send.cpp", "gridlock-lock-across-send"}}));
}

namespace {

// A compile database in `dir` listing the annotated inputs `files`, as CMake writes one.
void write_database(const fs::path &dir, const std::vector<std::string> &files) {
  nlohmann::json db = nlohmann::json::array();
  for (const std::string &f : files)
    db.push_back({{"directory", inputs},
                  {"file", inputs + "/" + f},
                  {"command", "c++ -std=c++20 -I" + include_dir + " -c " + f}});
  std::ofstream(dir / "compile_commands.json") << db.dump() << "\n";
}

} // namespace

TEST(GridlockCheck, WholeDatabaseWithoutFilesChecksEveryTranslationUnit) {
  const gridlock::testing::temp_dir tmp("check-whole");
  write_database(tmp.path(), {"recv_recv.cpp", "negatives.cpp", "circular_send.cpp"});
  const expectations want = gridlock::testing::expected_in(inputs + "/recv_recv.cpp");
  const expectations circular = gridlock::testing::expected_in(inputs + "/circular_send.cpp");
  std::set<std::string> files;
  const auto report = check({"-p", tmp.path().string()}, 1);
  for (const auto &f : report.findings) files.insert(fs::path(f.actors[0].where.file).filename());
  EXPECT_EQ(files, (std::set<std::string>{"circular_send.cpp", "recv_recv.cpp"}));
  EXPECT_EQ(report.findings.size(), want.warnings.size() + circular.warnings.size());
}

TEST(GridlockCheck, ParallelJobsGiveTheSameReportAsOne) {
  const gridlock::testing::temp_dir tmp("check-jobs");
  write_database(tmp.path(), {"recv_recv.cpp", "lock_across_send.cpp", "circular_send.cpp",
                              "unmatched.cpp", "negatives.cpp"});
  const auto one = run_process({tool, "--format", "json", "-p", tmp.path().string(), "-j", "1"});
  const auto two = run_process({tool, "--format", "json", "-p", tmp.path().string(), "-j", "2"});
  EXPECT_EQ(one.status, 1) << one.err;
  EXPECT_EQ(two.status, 1) << two.err;
  EXPECT_EQ(one.out, two.out);
}

// --- bad input: one line on stderr, exit status 2 -------------------------------------------

namespace {
void expect_usage_error(const std::vector<std::string> &args, const std::string &says) {
  std::vector<std::string> argv{tool};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv);
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.status, 2) << r.err;
  std::string last = r.err;
  while (!last.empty() && last.back() == '\n') last.pop_back();
  last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
  EXPECT_EQ(last.rfind("gridlock-check: error: ", 0), 0u) << r.err;
  EXPECT_NE(last.find(says), std::string::npos) << last;
}

} // namespace

TEST(GridlockCheckErrors, MissingFile) {
  expect_usage_error({"/no/such/file.cpp", "--"}, "no such file");
}

TEST(GridlockCheckErrors, NoInput) { expect_usage_error({}, "no input files"); }

TEST(GridlockCheckErrors, JobsOutOfRange) {
  expect_usage_error({"-j", "0", inputs + "/negatives.cpp", "--"}, "-j must be between 1 and");
}

TEST(GridlockCheckErrors, UnknownFormat) {
  expect_usage_error({"--format", "pdf", inputs + "/negatives.cpp", "--"},
                     "unknown --format 'pdf'");
}

TEST(GridlockCheckErrors, CodeThatDoesNotCompile) {
  const gridlock::testing::temp_dir tmp("check-broken");
  const fs::path &d = tmp.path();
  std::ofstream(d / "broken.cpp") << "int main() { this is not C++; }\n";
  expect_usage_error({(d / "broken.cpp").string(), "--", "-std=c++20"}, "did not compile");
}

TEST(GridlockCheckErrors, MalformedCompileDatabase) {
  const gridlock::testing::temp_dir tmp("check-db");
  const fs::path &d = tmp.path();
  std::ofstream(d / "compile_commands.json") << "[ { \"directory\": ";
  expect_usage_error({"-p", d.string(), inputs + "/negatives.cpp"}, "compile_commands.json");
}

TEST(GridlockCheckErrors, InvalidApiFile) {
  const gridlock::testing::temp_dir tmp("check-api");
  const fs::path &d = tmp.path();
  std::ofstream(d / "api.json") << "{ \"send\": 3 }";
  expect_usage_error({"--api", (d / "api.json").string(), inputs + "/user_api.cpp", "--"},
                     "'send' must be an array");
  std::ofstream(d / "broken.json") << "{ \"send\": [";
  expect_usage_error({"--api", (d / "broken.json").string(), inputs + "/user_api.cpp", "--"},
                     "invalid --api file");
  expect_usage_error({"--api", (d / "missing.json").string(), inputs + "/user_api.cpp", "--"},
                     "cannot read --api file");
}

// Limits of the evaluator are remarks, never a crash or a hang: a recursion deeper than its call
// depth, and a loop that would run far longer than its iteration budget.
TEST(GridlockCheck, EvaluationLimitsAreRemarks) {
  const gridlock::testing::temp_dir tmp("check-limits");
  const fs::path file = tmp.path() / "limits.cpp";
  std::ofstream(file) << R"(#include <gridlock/gridlock.hpp>
int deeper(int n, gridlock::sender<int> &out) {
  if (n % 7 == 3) out.send(n);
  return deeper(n + 1, out) + 1;
}
int main(int argc, char **) {
  auto [tx, rx] = gridlock::make_channel<int>(1, "deep");
  gridlock::thread reader("reader", [&] { while (rx.recv()) {} });
  long spin = 0;
  for (long i = 0; i < argc * 1000000000L; i += argc) spin += i % 3;
  for (long i = 0; i < 1000000; ++i) if (i * i == spin) tx.send(1);
  return deeper(0, tx);
}
)";
  const auto r = run_process(
      {tool, "--format", "json", file.string(), "--", "-std=c++20", "-I" + include_dir});
  ASSERT_TRUE(r.exited);
  EXPECT_TRUE(r.status == 0 || r.status == 1) << r.err;
  EXPECT_NE(r.err.find("remark: calls nested deeper than 16 are not followed (deeper)"),
            std::string::npos)
      << r.err;
  EXPECT_NO_THROW(gridlock::report::from_json(r.out));
}
