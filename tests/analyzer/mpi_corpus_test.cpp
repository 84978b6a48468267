// gridlock-check --api mpi over the annotated corpus in tests/analyzer/mpi/: programs that must
// be flagged (mpi/*.c, *.cpp: `CHECK-WARN` / `CHECK-NOTE` inline, as analyzer_test's inputs) and
// programs that must stay clean (mpi/clean/). Each runs twice: against Open MPI's headers (found
// at build time, no flags needed) and against MPICH's through a compile database. The rank count
// comes from each file's `mpirun -np N` comment (default 2). mpi/unmodelable/ holds code
// gridlock-check cannot evaluate: it must say so and never claim a definite verdict.
#include "expectations.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using gridlock::testing::expectations;
using gridlock::testing::run_process;

namespace {

const std::string tool = GRIDLOCK_CHECK_BIN;
const fs::path corpus = GRIDLOCK_MPI_CORPUS;
const fs::path mpich_include = "/usr/include/x86_64-linux-gnu/mpich";

std::vector<std::string> programs_in(const fs::path &dir) {
  std::vector<std::string> out;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.path().extension() == ".c" || e.path().extension() == ".cpp")
      out.push_back(fs::relative(e.path(), corpus).string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> corpus_programs() {
  auto all = programs_in(corpus);
  const auto clean = programs_in(corpus / "clean");
  all.insert(all.end(), clean.begin(), clean.end());
  return all;
}

std::string test_name(const ::testing::TestParamInfo<std::string> &info) {
  std::string name = info.param;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

std::vector<std::string> language_flags(const fs::path &file) {
  if (file.extension() == ".cpp") return {"-std=c++17"};
  return {"-std=c11"};
}

// A compile database that builds every corpus program against MPICH's headers. Each program is
// copied with a guard appended (after its last line, so line numbers stay) that fails to compile
// unless MPICH's mpi.h was the one included.
fs::path mpich_database() {
  static const gridlock::testing::temp_dir tmp("mpich"); // removed at exit
  static const fs::path dir = [] {
    const fs::path &d = tmp.path();
    fs::create_directories(d / "clean");
    std::ofstream db(d / "compile_commands.json");
    db << "[\n";
    bool first = true;
    for (const std::string &p : corpus_programs()) {
      fs::copy_file(corpus / p, d / p, fs::copy_options::overwrite_existing);
      std::ofstream(d / p, std::ios::app)
          << "#ifndef MPICH_VERSION\n#error \"not MPICH\"\n#endif\n";
      const char *compiler = fs::path(p).extension() == ".cpp" ? "c++" : "cc";
      db << (first ? "" : ",\n") << "  {\"directory\": \"" << d.string() << "\", \"file\": \""
         << (d / p).string() << "\", \"command\": \"" << compiler << " "
         << language_flags(p).front() << " -I" << mpich_include.string() << " -c "
         << (d / p).string() << "\"}";
      first = false;
    }
    db << "\n]\n";
    return d;
  }();
  return dir;
}

void expect_findings_as_annotated(const fs::path &file, const std::vector<std::string> &args) {
  const expectations want = gridlock::testing::expected_in(file);
  std::vector<std::string> argv{tool, "--api", "mpi", "--format", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = run_process(argv);
  ASSERT_TRUE(r.exited) << r.err;
  ASSERT_EQ(r.status, want.warnings.empty() ? 0 : 1) << r.err << r.out;
  const auto report = gridlock::report::from_json(r.out);
  EXPECT_EQ(gridlock::testing::found_in(report), want) << r.out;
  for (const auto &f : report.findings)
    for (const auto &a : f.actors) {
      EXPECT_EQ(a.name.rfind("rank ", 0), 0u) << a.name;
      EXPECT_EQ(a.note.rfind(a.name + " ", 0), 0u) << a.note; // "rank 1 first blocks in ..."
      EXPECT_NE(a.note.find(" at " + file.filename().string() + ":" + std::to_string(a.where.line)),
                std::string::npos)
          << a.note;
    }
}

class Corpus : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST_P(Corpus, OpenMpiHeaders) {
  const fs::path file = corpus / GetParam();
  std::vector<std::string> args{file.string(), "--"};
  for (const auto &f : language_flags(file)) args.push_back(f);
  expect_findings_as_annotated(file, args);
}

TEST_P(Corpus, MpichHeadersThroughACompileDatabase) {
  ASSERT_TRUE(fs::exists(mpich_include / "mpi.h"))
      << "scripts/install-deps.sh installs libmpich-dev";
  const fs::path db = mpich_database();
  expect_findings_as_annotated(db / GetParam(), {"-p", db.string(), (db / GetParam()).string()});
}

INSTANTIATE_TEST_SUITE_P(Mpi, Corpus, ::testing::ValuesIn(corpus_programs()), test_name);

TEST(MpiCorpus, HasThirtyProgramsOfEachKindInBothLanguages) {
  const auto flagged = programs_in(corpus), clean = programs_in(corpus / "clean");
  EXPECT_GE(flagged.size(), 30u);
  EXPECT_GE(clean.size(), 30u);
  for (const auto *set : {&flagged, &clean}) {
    EXPECT_TRUE(std::any_of(set->begin(), set->end(), [](auto &f) { return f.ends_with(".c"); }));
    EXPECT_TRUE(std::any_of(set->begin(), set->end(), [](auto &f) { return f.ends_with(".cpp"); }));
  }
  for (const auto &f : flagged)
    EXPECT_FALSE(gridlock::testing::expected_in(corpus / f).warnings.empty()) << f;
}

TEST(MpiExample, HaloExchangeOfTheMainJob) {
  const fs::path file = GRIDLOCK_MPI_EXAMPLE;
  expect_findings_as_annotated(file, {file.string(), "--"});
}

TEST(MpiRankCount, OptionOverridesTheLaunchLine) {
  // ring_recv_first.c says `mpirun -np 4`; --np 2 checks a two-rank ring instead.
  const auto r = run_process(
      {tool, "--api", "mpi", "--np", "2", (corpus / "ring_recv_first.c").string(), "--"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("ranks 0 -> 1 -> 0 each wait"), std::string::npos) << r.out;
  const auto four =
      run_process({tool, "--api", "mpi", (corpus / "ring_recv_first.c").string(), "--"});
  EXPECT_NE(four.out.find("ranks 0 -> 3 -> 2 -> 1 -> 0"), std::string::npos) << four.out;
  EXPECT_NE(four.err.find("checked with 4 ranks"), std::string::npos) << four.err;
}

TEST(MpiRankCount, ARankCountThatIsNotARankCountIsAUsageError) {
  for (const char *n : {"0", "-3", "1025", "many"}) {
    const auto r =
        run_process({tool, "--api", "mpi", "--np", n, (corpus / "send_send.c").string(), "--"});
    EXPECT_EQ(r.status, 2) << n << r.err;
    EXPECT_NE(r.err.find("gridlock-check: "), std::string::npos) << r.err;
  }
  const auto r = run_process({tool, "--np", "4", (corpus / "send_send.c").string(), "--"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--np needs --api mpi"), std::string::npos) << r.err;
}

class Unmodelable : public ::testing::TestWithParam<std::string> {};

TEST_P(Unmodelable, SaysWhatItSkippedAndClaimsNothingDefinite) {
  const fs::path file = corpus / GetParam();
  std::vector<std::string> argv{tool, "--api", "mpi", "--format", "json", file.string(), "--"};
  for (const auto &f : language_flags(file)) argv.push_back(f);
  const auto r = run_process(argv);
  ASSERT_TRUE(r.exited) << "crashed: signal " << r.status << "\n" << r.err;
  ASSERT_TRUE(r.status == 0 || r.status == 1) << r.err;
  EXPECT_NE(r.err.find("remark: "), std::string::npos) << r.err;
  for (const auto &f : gridlock::report::from_json(r.out).findings)
    EXPECT_EQ(f.certainty, "possible") << f.summary;
}

INSTANTIATE_TEST_SUITE_P(Mpi, Unmodelable, ::testing::ValuesIn(programs_in(corpus / "unmodelable")),
                         test_name);
