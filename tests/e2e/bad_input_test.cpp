// The bad-input matrix of the README ("Bad input"): each row runs a CLI or a program with one
// kind of bad input and expects the documented exit status and a clear one-line error on stderr
// — never a crash, a hang or a silent success.
#include "process.hpp"
#include "report_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct row {
  const char *what;
  std::vector<std::string> argv; // "@DIR" is replaced by the test's scratch directory
  std::vector<std::string> env;
  int status;
  const char *error; // expected in the last line of stderr ("" when status is 0)
};

fs::path scratch() {
  static const gridlock::testing::temp_dir tmp("bad-input"); // removed at exit
  static const fs::path dir = [] {
    const fs::path &d = tmp.path();
    std::ofstream(d / "empty.json");
    std::ofstream(d / "broken.json") << "{\"tool\": \"gridlock\", \"findings\": [";
    std::ofstream(d / "v2.json") << R"({"tool":"gridlock","schema_version":2,"findings":[]})";
    std::ofstream(d / "utf8.json")
        << "{\"tool\":\"gridlock\",\"schema_version\":1,\"findings\":[{\"kind\":\"deadlock\","
           "\"certainty\":\"definite\",\"summary\":\"bad \xff\xfe name\",\"actors\":[{\"name\":"
           "\"\xc3\x28\"}]}]}";
    std::ofstream(d / "ok.json") << R"({"tool":"gridlock","schema_version":1,"findings":[]})";
    fs::create_directories(d / "adir.json");
    std::ofstream(d / "huge.json").close();
    fs::resize_file(d / "huge.json", std::uintmax_t{300} << 20); // sparse: no disk used
    std::ofstream(d / "empty.cpp");
    std::ofstream(d / "broken.cpp") << "int main( {";
    std::ofstream(d / "api.json") << "{\"send\": 3}";
    return d;
  }();
  return dir;
}

std::string last_line(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  const auto nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

class BadInput : public ::testing::TestWithParam<row> {};

TEST_P(BadInput, ClearErrorAndDocumentedStatus) {
  const row &r = GetParam();
  std::vector<std::string> argv;
  for (std::string a : r.argv) {
    if (const auto at = a.find("@DIR"); at != std::string::npos)
      a.replace(at, 4, scratch().string());
    argv.push_back(a);
  }
  const auto p = gridlock::testing::run_process(argv, r.env);
  ASSERT_TRUE(p.exited) << r.what << ": killed by signal " << p.status;
  EXPECT_EQ(p.status, r.status) << r.what << "\n" << p.err;
  if (*r.error) {
    EXPECT_NE(last_line(p.err).find(r.error), std::string::npos) << r.what << "\n" << p.err;
    EXPECT_NE(last_line(p.err).find("error"), std::string::npos) << r.what << "\n" << p.err;
  }
}

const std::string report_bin = GRIDLOCK_REPORT_BIN;
const std::string check_bin = GRIDLOCK_CHECK_BIN;
const std::string program = std::string(GRIDLOCK_PROGRAMS_BIN) + "/leak_at_exit";

INSTANTIATE_TEST_SUITE_P(
    Matrix, BadInput,
    ::testing::Values(
        row{"report: missing file", {report_bin, "@DIR/nope.json"}, {}, 2, "cannot read"},
        row{"report: a directory", {report_bin, "@DIR/adir.json"}, {}, 2, "is a directory"},
        row{"report: empty file", {report_bin, "@DIR/empty.json"}, {}, 2, "malformed"},
        row{"report: malformed JSON", {report_bin, "@DIR/broken.json"}, {}, 2, "malformed"},
        row{"report: schema version 2", {report_bin, "@DIR/v2.json"}, {}, 2, "schema_version 2"},
        row{"report: 300 MiB file", {report_bin, "@DIR/huge.json"}, {}, 2, "too large"},
        row{"report: invalid UTF-8 (JSON is UTF-8)",
            {report_bin, "@DIR/utf8.json"},
            {},
            2,
            "ill-formed UTF-8"},
        row{"report: unwritable output",
            {report_bin, "@DIR/ok.json", "-o", "/proc/nope/x.html"},
            {},
            2,
            "cannot write"},
        row{"report: unknown format",
            {report_bin, "@DIR/ok.json", "--format", "pdf"},
            {},
            2,
            "unknown --format"},
        row{"check: missing file", {check_bin, "@DIR/nope.cpp", "--"}, {}, 2, ""},
        row{"check: code that does not parse",
            {check_bin, "@DIR/broken.cpp", "--"},
            {},
            2,
            "did not compile"},
        row{"check: empty source, no finding", {check_bin, "@DIR/empty.cpp", "--"}, {}, 0, ""},
        row{"check: unwritable output",
            {check_bin, "@DIR/empty.cpp", "-o", "/proc/nope/x", "--"},
            {},
            2,
            "cannot write"},
        row{"check: --np 0",
            {check_bin, "--api", "mpi", "--np", "0", "@DIR/empty.cpp", "--"},
            {},
            2,
            "--np must be between 1 and 1024"},
        row{"check: --np 5000",
            {check_bin, "--api", "mpi", "--np", "5000", "@DIR/empty.cpp", "--"},
            {},
            2,
            "--np must be between 1 and 1024"},
        row{"check: --np many",
            {check_bin, "--api", "mpi", "--np", "many", "@DIR/empty.cpp", "--"},
            {},
            2,
            "many"},
        row{"check: --np without --api mpi",
            {check_bin, "--np", "4", "@DIR/empty.cpp", "--"},
            {},
            2,
            "--np needs --api mpi"},
        row{"check: invalid --api file",
            {check_bin, "--api", "@DIR/api.json", "@DIR/empty.cpp", "--"},
            {},
            2,
            "must be an array"},
        row{"check: missing compile database",
            {check_bin, "-p", "@DIR/adir.json", "@DIR/empty.cpp"},
            {},
            2,
            ""},
        row{"options: negative delay",
            {program},
            {"GRIDLOCK_OPTIONS=detect_delay_ms=-1"},
            2,
            "detect_delay_ms"},
        row{"options: absurd number",
            {program},
            {"GRIDLOCK_OPTIONS=starvation_ms=18446744073709551615"},
            2,
            "starvation_ms"},
        row{"options: unknown key",
            {program},
            {"GRIDLOCK_OPTIONS=detect_delay=5"},
            2,
            "unknown option 'detect_delay'"},
        row{"options: unwritable report_dir: reported once, the program goes on",
            {program},
            {"GRIDLOCK_OPTIONS=report_dir=/proc/nope:report_format=json"},
            0,
            ""}),
    [](const ::testing::TestParamInfo<row> &info) {
      std::string name;
      for (char c : std::string(info.param.what))
        name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

} // namespace
