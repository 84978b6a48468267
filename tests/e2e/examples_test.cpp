// End-to-end: each example and test program runs as a real process under GRIDLOCK_OPTIONS; the
// test checks its exit and its JSON reports: the right actors, resources, operations and source
// lines (taken from the `EXPECT:` comments in the program's source), and no report at all for
// clean programs.
#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include <csignal>
#include <fstream>
#include <string>

using gridlock::testing::all_findings;
using gridlock::testing::expect_actor;
using gridlock::testing::expected_line;
using gridlock::testing::find_actor;
using gridlock::testing::first_finding;
using gridlock::testing::occurrences;
using gridlock::testing::run;
using gridlock::testing::sorted;
namespace fs = std::filesystem;

namespace {

std::string example(const char *name) { return std::string(GRIDLOCK_EXAMPLES_BIN) + "/" + name; }
std::string program(const char *name) { return std::string(GRIDLOCK_PROGRAMS_BIN) + "/" + name; }

const std::string src = GRIDLOCK_EXAMPLES_SRC;
const std::string prog_src = GRIDLOCK_PROGRAMS_SRC;

} // namespace

TEST(Examples, Seed1SynchronousSendsDeadlockAndBreakRecovers) {
  const auto r = run(example("seed1_sync_sends"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  ASSERT_EQ(r.reports.size(), 1u) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"A", "B"}));
  const std::string file = src + "/seed1_sync_sends.cpp";
  const unsigned line = expected_line(file, "chan send");
  expect_actor(f, "A", "chan send", "A->B", file, line);
  expect_actor(f, "B", "chan send", "B->A", file, line);
  EXPECT_NE(r.err.find("WARNING: gridlock: deadlock"), std::string::npos);
  EXPECT_NE(r.err.find("SUMMARY: gridlock: deadlock (definite)"), std::string::npos);
}

TEST(Examples, Seed1AbortEndsTheProcessAfterTheReportIsOnDisk) {
  const auto r = run(example("seed1_sync_sends"), "on_deadlock=abort");
  EXPECT_FALSE(r.exited);
  EXPECT_EQ(r.status, SIGABRT);
  const auto &f = first_finding(r);
  EXPECT_EQ(f.action, "aborted the process");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"A", "B"}));
}

TEST(Examples, Seed2BoundedProducerConsumerIsClean) {
  const auto r = run(example("seed2_bounded_producer_consumer"), "");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_TRUE(r.reports.empty());
  EXPECT_EQ(r.err.find("gridlock"), std::string::npos) << r.err;
}

TEST(Examples, GoPipelineCancelledThroughAContextIsClean) {
  const auto r = run(example("go_pipeline"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_TRUE(all_findings(r).empty()) << r.err;
  EXPECT_NE(r.out.find("pipeline: stopped (context canceled)"), std::string::npos) << r.out;
}

// The collector waits for the squarers before it cancels them; they block sending it results.
TEST(Examples, GoPipelineWaitingBeforeCancellingIsADefiniteCycle) {
  const auto r = run(example("go_pipeline_bug"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto found = all_findings(r); // one more for each squarer broken instead of the collector
  ASSERT_GE(found.size(), 1u) << r.err;
  const auto &f = found[0];
  EXPECT_EQ(f.certainty, "definite");
  ASSERT_EQ(f.cycle.size(), 2u) << f.summary;
  const auto squarer = f.cycle[0] == "collector" ? f.cycle[1] : f.cycle[0];
  EXPECT_EQ(squarer.rfind("squarer-", 0), 0u) << f.summary;
  const std::string file = src + "/go_pipeline.hpp";
  expect_actor(f, "collector", "wait_group wait", "squarers", file,
               expected_line(file, "wait_group wait"));
  expect_actor(f, squarer, "chan send", "squares", file, expected_line(file, "chan send"));
  EXPECT_EQ(find_actor(f, "collector")->mode, "all");
  EXPECT_EQ(f.action.rfind("broke the wait of '", 0), 0u) << f.action; // the youngest wait
  EXPECT_NE(r.out.find("pipeline: stopped (context canceled)"), std::string::npos) << r.out;
}

TEST(Examples, Seed5MutexHeldAcrossSendIsAMixedCycle) {
  const auto r = run(example("seed5_mutex_across_send"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"holder", "worker"}));
  const std::string file = src + "/seed5_mutex_across_send.cpp";
  expect_actor(f, "holder", "chan send", "updates", file, expected_line(file, "chan send"));
  expect_actor(f, "worker", "mutex lock", "state", file, expected_line(file, "mutex lock"));
}

TEST(Examples, Seed6ReplicationReportsTheWritersAndWait) {
  const auto r = run(example("seed6_replication"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"replica-3", "writer"}));
  const std::string file = src + "/seed6_replication.cpp";
  expect_actor(f, "writer", "mailbox receive_all", "acks", file,
               expected_line(file, "mailbox receive_all"));
  expect_actor(f, "replica-3", "chan receive", "updates-3", file,
               expected_line(file, "chan receive"));
  EXPECT_EQ(find_actor(f, "writer")->mode, "all");
  EXPECT_EQ(find_actor(f, "writer")->waits_for, (std::vector<std::string>{"replica-3"}));
}

TEST(Programs, ReceiveFromAnySourceIsAnOrWait) {
  const auto r = run(program("any_source_receive"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"client", "server"}));
  const std::string file = prog_src + "/any_source_receive.cpp";
  expect_actor(f, "server", "mailbox receive", "requests", file,
               expected_line(file, "mailbox receive"));
  expect_actor(f, "client", "mailbox receive_from", "replies", file,
               expected_line(file, "mailbox receive_from"));
  EXPECT_EQ(find_actor(f, "server")->mode, "any");
}

TEST(Programs, BlockedActorsAtExitAreReportedAsLeaks) {
  const auto r = run(program("leak_at_exit"), "");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "leak");
  ASSERT_EQ(f.actors.size(), 1u);
  const std::string file = prog_src + "/leak_at_exit.cpp";
  expect_actor(f, "stuck-worker", "chan receive", "never", file,
               expected_line(file, "chan receive"));
}

// --- the standard library's waits in programs linked with gridlock (issue 16) ----------------

namespace {
const gridlock::report::actor_entry *on_line(const gridlock::report::finding &f,
                                             const std::string &file, unsigned line) {
  for (const auto &a : f.actors)
    if (fs::path(a.where.file).filename() == fs::path(file).filename() && a.where.line == line)
      return &a;
  return nullptr;
}
} // namespace

TEST(Programs, StdThreadJoinClosesTheCycleOfMemberFunctionThreads) {
  const auto r = run(program("std_threads_exchange"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "definite");
  const std::string file = prog_src + "/std_threads_exchange.cpp";
  const auto *main_actor = find_actor(f, "main");
  ASSERT_NE(main_actor, nullptr) << r.err;
  EXPECT_EQ(main_actor->op, "thread join");
  EXPECT_EQ(main_actor->where.line, expected_line(file, "thread join"));
  const auto *peer = on_line(f, file, expected_line(file, "chan send"));
  ASSERT_NE(peer, nullptr) << r.err;
  EXPECT_EQ(peer->op, "chan send");
  EXPECT_EQ(sorted(f.cycle), sorted({"main", peer->name}));
  EXPECT_EQ(occurrences(r.out, "chosen as the deadlock victim"), 2) << r.out;
}

TEST(Programs, StdMutexHeldAcrossAReceiveIsAMixedCycle) {
  const auto r = run(program("std_mutex_across_recv"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"consumer", "producer"}));
  const std::string file = prog_src + "/std_mutex_across_recv.cpp";
  expect_actor(f, "consumer", "chan receive", "results", file, expected_line(file, "chan receive"));
  expect_actor(f, "producer", "mutex lock", "state", file, expected_line(file, "mutex lock"));
  EXPECT_NE(r.out.find("consumer: got 42, total 1"), std::string::npos) << r.out;
}

TEST(Programs, StdMutexInversionIsPredictedUnlessInterposeIsOff) {
  const std::string file = prog_src + "/std_mutex_inversion.cpp";
  const auto r = run(program("std_mutex_inversion"), "");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_NE(r.out.find("interposing 1"), std::string::npos) << r.out;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "lock-order-inversion");
  EXPECT_EQ(f.certainty, "possible");
  EXPECT_NE(on_line(f, file, expected_line(file, "lock order (accounts then")), nullptr);
  EXPECT_NE(on_line(f, file, expected_line(file, "lock order (audit_log then")), nullptr);

  const auto off = run(program("std_mutex_inversion"), "interpose=0");
  EXPECT_TRUE(off.exited && off.status == 0) << off.err;
  EXPECT_NE(off.out.find("interposing 0"), std::string::npos) << off.out;
  EXPECT_TRUE(all_findings(off).empty()) << off.err;
}

TEST(Programs, StdMutexTakenBeforeServingAWaitHoldingItIsPredicted) {
  const std::string file = prog_src + "/std_mutex_before_send_lucky.cpp";
  const auto r = run(program("std_mutex_before_send_lucky"), "");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_NE(r.out.find("consumer: got 42, total 1"), std::string::npos) << r.out;
  const auto findings = all_findings(r);
  ASSERT_EQ(findings.size(), 1u) << r.err;
  const auto &f = findings[0];
  EXPECT_EQ(f.kind, "lock-order-inversion");
  EXPECT_EQ(f.certainty, "possible");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"consumer", "producer"}));
  const auto *consumer = on_line(f, file, expected_line(file, "lock order (the consumer's"));
  ASSERT_NE(consumer, nullptr) << r.err;
  EXPECT_EQ(consumer->op, "chan receive");
  EXPECT_EQ(consumer->resource, "results");
  const auto *producer = on_line(f, file, expected_line(file, "lock order (the producer's"));
  ASSERT_NE(producer, nullptr) << r.err;
  EXPECT_EQ(producer->op, "mutex lock");
  EXPECT_EQ(producer->resource, "state");
}

// --- hosts that do unusual things (issue 8): gridlock must not hang them or lose reports ------

TEST(Programs, ExitFromASecondaryThreadEndsTheProcessWithItsStatus) {
  const auto r = run(program("exit_from_thread"), "");
  EXPECT_TRUE(r.exited && r.status == 3) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "leak");
  const std::string file = prog_src + "/exit_from_thread.cpp";
  expect_actor(f, "stuck-worker", "chan receive", "never", file,
               expected_line(file, "chan receive"));
}

TEST(Programs, AThreadBlockedInASignalHandlerDoesNotStopDetection) {
  const auto r = run(program("blocked_in_signal_handler"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"A", "B"}));
}

TEST(Programs, ChildrenForkedFromABusyHostFindTheirOwnDeadlocksOnly) {
  const auto r = run(program("fork_in_busy_host"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const std::string source = prog_src + "/fork_in_busy_host.cpp";
  const unsigned line = expected_line(source, "chan send");
  std::set<std::int64_t> pids;
  for (const auto &report : r.reports) { // one per child: the parent reports nothing
    pids.insert(report.pid);
    ASSERT_EQ(report.findings.size(), 1u) << r.err;
    const auto &f = report.findings[0];
    EXPECT_EQ(f.kind, "deadlock");
    EXPECT_EQ(sorted(f.cycle), (std::vector<std::string>{"child-A", "child-B"}));
    std::vector<std::string> names;
    for (const auto &a : f.actors) names.push_back(a.name);
    EXPECT_EQ(sorted(names), (std::vector<std::string>{"child-A", "child-B", "main"}))
        << "the child's main thread joins child-A; the parent's other threads are not in the child";
    expect_actor(f, "child-A", "chan send", "A->B", source, line);
    expect_actor(f, "child-B", "chan send", "B->A", source, line);
    expect_actor(f, "main", "thread join", "child-A", source, expected_line(source, "thread join"));
  }
  EXPECT_EQ(r.reports.size(), 20u) << r.err;
  EXPECT_EQ(pids.size(), 20u);
}

TEST(Programs, AReportThatCannotBeWrittenIsReportedOnceAndLeavesNoPartialFile) {
  // Every write past 64 bytes fails (RLIMIT_FSIZE), as on a full disk.
  const gridlock::testing::temp_dir tmp("full-disk");
  const fs::path &dir = tmp.path();
  const auto p = gridlock::testing::run_process(
      {program("report_on_full_disk")},
      {"GRIDLOCK_OPTIONS=report_dir=" + dir.string() + ":detect_delay_ms=100:on_deadlock=break"},
      std::chrono::seconds(60));
  EXPECT_TRUE(p.exited && p.status == 0) << p.err;
  std::size_t errors = 0;
  for (std::size_t at = p.err.find("gridlock: error: cannot write"); at != std::string::npos;
       at = p.err.find("gridlock: error: cannot write", at + 1))
    ++errors;
  EXPECT_EQ(errors, 1u) << p.err;
  EXPECT_NE(p.err.find("WARNING: gridlock: deadlock"), std::string::npos) << p.err;
  EXPECT_TRUE(fs::is_empty(dir)) << "a partial or temporary report was left in " << dir;
}

TEST(Programs, AProgramThatNeverBlocksGetsNoGridlockThread) {
  const auto r = run(program("never_blocks"), "");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_TRUE(r.reports.empty());
  const auto blocked = run(program("never_blocks"), "", {"block"}); // the control: it can fail
  EXPECT_TRUE(blocked.exited && blocked.status == 1) << blocked.err;
  EXPECT_NE(blocked.err.find("threads: "), std::string::npos) << blocked.err;
}

TEST(Programs, LeakReportCanBeTurnedOff) {
  const auto r = run(program("leak_at_exit"), "report_leaks=0");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_TRUE(r.reports.empty());
}

TEST(Programs, ExitcodeAppliesWhenSomethingWasReported) {
  const auto r = run(program("leak_at_exit"), "exitcode=23");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.status, 23);
}

TEST(Programs, BadOptionIsAOneLineErrorAndExitStatus2) {
  const auto r = run(program("leak_at_exit"), "no_such_option=1");
  EXPECT_TRUE(r.exited);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "gridlock: error: GRIDLOCK_OPTIONS: unknown option 'no_such_option'\n");
}

TEST(Programs, UnwritableReportDirIsReportedOnceAndTheProgramContinues) {
  const auto r =
      run(example("seed1_sync_sends"), "on_deadlock=break:report_dir=/proc/gridlock-cannot-write");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_NE(r.err.find("gridlock: error: cannot create"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("WARNING: gridlock: deadlock"), std::string::npos) << r.err;
}

TEST(Examples, Seed3SeedManagerStarvesTheWriterThenDeadlocks) {
  const auto r = run(example("seed3_readers_writers_seed"), "starvation_ms=500:on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto fs = all_findings(r);
  ASSERT_GE(fs.size(), 2u) << r.err;
  // First the starvation, while the readers are served...
  EXPECT_EQ(fs[0].kind, "starvation");
  EXPECT_EQ(fs[0].certainty, "definite");
  const std::string header = src + "/readers_writers.hpp";
  expect_actor(fs[0], "writer", "mailbox receive_from", "writer inbox", header,
               expected_line(header, "mailbox receive_from (writer)"));
  EXPECT_EQ(fs[0].actors[0].waits_for, (std::vector<std::string>{"resource-manager"}));
  EXPECT_GE(fs[0].actors[0].waited_ms, 500);
  ASSERT_TRUE(fs[0].bypass_count.has_value());
  EXPECT_GE(*fs[0].bypass_count, 100);
  for (const auto &n : fs[0].served_instead) EXPECT_EQ(n.rfind("reader-", 0), 0u) << n;
  // ...then, once the readers are done, the writer and the manager deadlock.
  EXPECT_EQ(fs[1].kind, "deadlock");
  EXPECT_EQ(fs[1].certainty, "definite");
  EXPECT_EQ(sorted(fs[1].cycle), (std::vector<std::string>{"resource-manager", "writer"}));
  EXPECT_EQ(find_actor(fs[1], "resource-manager")->op, "mailbox receive");
}

TEST(Examples, Seed3FairManagerHasNoFinding) {
  const auto r =
      run(example("seed3_readers_writers_fair"), "starvation_ms=200:starvation_bypass=20");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_TRUE(r.reports.empty()) << r.err;
}

TEST(Examples, Seed4PriorityMailboxStarvesTheLowPriorityJob) {
  const auto r = run(example("seed4_priority_mailbox"), "starvation_ms=500");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto fs = all_findings(r);
  ASSERT_FALSE(fs.empty()) << r.err;
  EXPECT_EQ(fs[0].kind, "starvation");
  const std::string file = src + "/seed4_priority_mailbox.cpp";
  expect_actor(fs[0], "background", "mailbox post", "jobs", file,
               expected_line(file, "starvation of this message"));
  EXPECT_GE(*fs[0].bypass_count, 100);
  EXPECT_EQ(fs[0].served_instead, (std::vector<std::string>{"flood"}));
}

TEST(Examples, Seed4AgingCuresIt) {
  const auto r = run(example("seed4_priority_mailbox"), "aging=50");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_TRUE(r.reports.empty()) << r.err;
}

namespace {
std::string escaped(const std::string &s) { // as the page escapes names (these have no & " ')
  std::string out;
  for (char c : s) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  return out;
}
} // namespace

// Each deadlocking example with trace=1 and report_format=json,html: the page next to the JSON
// draws the finding's cycle (its actors and resources as highlighted nodes), one timeline lane per
// traced actor, and the directory's index.html links to it.
class HtmlReport : public ::testing::TestWithParam<const char *> {};

TEST_P(HtmlReport, DrawsTheCycleAndOneLanePerActor) {
  const gridlock::testing::temp_dir tmp("html");
  const fs::path &dir = tmp.path();
  const auto p = gridlock::testing::run_process(
      {example(GetParam())},
      {"GRIDLOCK_OPTIONS=report_dir=" + dir.string() +
       ":detect_delay_ms=100:on_deadlock=break:trace=1:report_format=json,html"});
  EXPECT_TRUE(p.exited && p.status == 0) << p.err;
  // The first report is the deadlock (seed6 may report a second one: when the silent replica is
  // the victim, the writer is then left waiting for an actor that exited).
  const auto reports = gridlock::testing::read_reports(dir);
  ASSERT_GE(reports.size(), 1u) << p.err;
  const auto &r = reports[0];
  ASSERT_EQ(r.findings.size(), 1u);
  const auto &f = r.findings[0];
  ASSERT_GE(f.cycle.size(), 2u);
  const std::string stem = "gridlock." + std::to_string(r.pid) + ".1";
  const std::string html = gridlock::testing::slurp(dir / (stem + ".html"));
  for (const auto &actor : f.cycle)
    EXPECT_EQ(occurrences(html, "<g class=\"node actor cycle\" data-name=\"" + actor + "\">"), 1)
        << actor;
  // Each cycle member's wait: a highlighted edge out of it.
  for (const auto &actor : f.cycle)
    EXPECT_GE(occurrences(html, "cycle\" data-from=\"" + actor + "\""), 1) << actor;
  for (const auto &res : f.resources) {
    if (res.kind != "thread") {
      EXPECT_EQ(occurrences(html, "data-name=\"" + escaped(res.name) + "\">"), 1) << res.name;
    }
  }
  // The timeline: one lane per actor of the trace.
  std::set<std::uint64_t> traced;
  for (const auto &e : r.trace) traced.insert(e.actor_id);
  EXPECT_GE(traced.size(), f.cycle.size());
  EXPECT_EQ(occurrences(html, "<g class=\"lane\""), static_cast<int>(traced.size()));
  EXPECT_EQ(occurrences(html, "<line class=\"mark detected\""), 1);
  // The directory's index links to the page.
  const std::string index = gridlock::testing::slurp(dir / "index.html");
  EXPECT_NE(index.find("href=\"" + stem + ".html#f0\""), std::string::npos) << index;
}

INSTANTIATE_TEST_SUITE_P(Examples, HtmlReport,
                         ::testing::Values("seed1_sync_sends", "seed5_mutex_across_send",
                                           "seed6_replication"));

// strip_path_prefix: no report format, nor stderr, shows the build machine's source folder; the
// files are relative to it (SARIF: to %SRCROOT%).
TEST(Examples, StripPathPrefixLeavesNoAbsolutePathInAnyFormat) {
  const gridlock::testing::temp_dir tmp("strip");
  const fs::path &dir = tmp.path();
  const std::string root = fs::path(src).parent_path().string(); // the source tree
  const auto p = gridlock::testing::run_process(
      {example("seed1_sync_sends")},
      {"GRIDLOCK_OPTIONS=report_dir=" + dir.string() + ":detect_delay_ms=100:on_deadlock=break:" +
       "report_format=text,json,sarif,html,perfetto:strip_path_prefix=" + root});
  EXPECT_TRUE(p.exited && p.status == 0) << p.err;
  EXPECT_NE(p.err.find("at examples/seed1_sync_sends.cpp:"), std::string::npos) << p.err;
  EXPECT_EQ(p.err.find(root + "/"), std::string::npos) << p.err;
  std::set<std::string> files; // gridlock.<pid>.1.<extension>, and index.html
  for (const auto &e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    files.insert(name.substr(name.find(".1.") == std::string::npos ? 0 : name.find(".1.") + 3));
    EXPECT_EQ(gridlock::testing::slurp(e.path()).find(root + "/"), std::string::npos) << name;
  }
  EXPECT_EQ(files, (std::set<std::string>{"json", "sarif", "html", "perfetto.json", "index.html"}));
  const auto reports = gridlock::testing::read_reports(dir);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].findings.at(0).actors.at(0).where.file, "examples/seed1_sync_sends.cpp");
}

// Under on_deadlock=break a deadlock's other waits can stay stuck once its victim is broken, and
// a starving wait ends when it is broken: those later findings name their cause ("after"), and the
// directory's index shows one row per bug with the consequences nested under it.
struct roots_case {
  const char *example;
  std::set<std::string> roots; // the kinds of its root findings: one per bug
};
class RootFindings : public ::testing::TestWithParam<roots_case> {};

TEST_P(RootFindings, OneRowPerBugWithItsConsequencesNestedUnderIt) {
  const gridlock::testing::temp_dir tmp("roots");
  const fs::path &dir = tmp.path();
  const auto p = gridlock::testing::run_process(
      {example(GetParam().example)}, {"GRIDLOCK_OPTIONS=report_dir=" + dir.string() +
                                      ":detect_delay_ms=100:on_deadlock=break:starvation_ms=500:"
                                      "report_format=json,html"});
  EXPECT_TRUE(p.exited && p.status == 0) << p.err;
  std::map<std::int64_t, gridlock::report::finding> by_id;
  for (const auto &r : gridlock::testing::read_reports(dir))
    for (const auto &f : r.findings) by_id[f.id] = f;
  std::set<std::string> root_kinds;
  int consequences = 0;
  for (const auto &[id, f] : by_id) {
    EXPECT_GT(id, 0) << f.summary; // every runtime finding is numbered
    if (!f.after) {
      EXPECT_TRUE(root_kinds.insert(f.kind).second)
          << "a second root " << f.kind << ": " << f.summary << "\n"
          << p.err;
      continue;
    }
    ++consequences;
    ASSERT_TRUE(by_id.count(*f.after)) << f.summary; // its cause was reported, earlier
    EXPECT_LT(*f.after, id);
    EXPECT_FALSE(f.after_why.empty());
  }
  EXPECT_EQ(root_kinds, GetParam().roots) << p.err;
  if (by_id.empty()) return; // a clean example: no report, no index
  const std::string index = gridlock::testing::slurp(dir / "index.html");
  EXPECT_EQ(occurrences(index, "<tr data-kind="), static_cast<int>(root_kinds.size())) << index;
  EXPECT_EQ(occurrences(index, "<li><a href="), consequences) << index;
}

// seed3's manager: the writer starves (one bug), then writer and manager deadlock (another);
// breaking the manager leaves the writer stuck, breaking the writer ends its starvation.
// seed6: when the silent replica is the victim, the writer is left waiting for an exited actor.
INSTANTIATE_TEST_SUITE_P(Examples, RootFindings,
                         ::testing::Values(roots_case{"seed1_sync_sends", {"deadlock"}},
                                           roots_case{"seed2_bounded_producer_consumer", {}},
                                           roots_case{"seed3_readers_writers_seed",
                                                      {"starvation", "deadlock"}},
                                           roots_case{"seed3_readers_writers_fair", {}},
                                           roots_case{"seed4_priority_mailbox", {"starvation"}},
                                           roots_case{"seed5_mutex_across_send", {"deadlock"}},
                                           roots_case{"seed6_replication", {"deadlock"}}),
                         [](const auto &info) { return std::string(info.param.example); });

TEST(Programs, HelpListsEveryOptionWithItsDefault) {
  const auto r = run(program("leak_at_exit"), "help=1");
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  for (const char *key :
       {"detect_delay_ms=200", "starvation_ms=2000", "starvation_bypass=100", "on_deadlock=report",
        "aging=0", "report_leaks=1", "report_dir=", "report_format=text,json",
        "log_path=", "exitcode=0", "trace=0", "verbosity=0", "help=0"})
    EXPECT_NE(r.err.find(std::string("  ") + key), std::string::npos) << key;
}

TEST(Programs, LogPathTakesTheTextReportInsteadOfStderr) {
  const gridlock::testing::temp_dir tmp("log");
  const fs::path &dir = tmp.path();
  const auto r = run(example("seed1_sync_sends"),
                     "on_deadlock=break:log_path=" + (dir / "gridlock.log").string());
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  EXPECT_EQ(r.err.find("WARNING: gridlock"), std::string::npos) << r.err;
  std::vector<fs::path> logs;
  for (const auto &e : fs::directory_iterator(dir)) logs.push_back(e.path());
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].filename().string().rfind("gridlock.log.", 0), 0u); // gridlock.log.<pid>
  EXPECT_NE(gridlock::testing::slurp(logs[0]).find("WARNING: gridlock: deadlock"),
            std::string::npos);
}

TEST(Programs, EmbeddedDefaultOptionsApply) {
  const auto r = run(program("default_options"), ""); // on_deadlock=break comes from the program
  EXPECT_TRUE(r.exited && r.status == 0) << r.err;
  const auto &f = first_finding(r);
  EXPECT_EQ(f.action.rfind("broke the wait of", 0), 0u) << f.action;
}

TEST(GoogleTestListener, DeadlockingTestFailsWithTheSummaryCleanTestPasses) {
  const gridlock::testing::temp_dir tmp("gtest");
  const fs::path &dir = tmp.path();
  const auto p = gridlock::testing::run_process(
      {GRIDLOCK_LISTENER_TEST, "--gtest_output=json:" + (dir / "out.json").string()},
      {"GRIDLOCK_OPTIONS=detect_delay_ms=50:report_format=text"});
  EXPECT_TRUE(p.exited);
  EXPECT_EQ(p.status, 1) << p.out << p.err; // a test failed; it did not hang
  const auto results = nlohmann::json::parse(gridlock::testing::slurp(dir / "out.json"));
  std::map<std::string, std::string> failure_of; // test name -> its failure messages
  for (const auto &suite : results["testsuites"])
    for (const auto &t : suite["testsuite"]) {
      std::string msgs;
      for (const auto &f : t.value("failures", nlohmann::json::array()))
        msgs += f["failure"].get<std::string>();
      failure_of[t["name"]] = msgs;
    }
  EXPECT_EQ(failure_of.at("Clean"), "");
  EXPECT_NE(failure_of.at("LeavesAnActorBlocked")
                .find("gridlock: leak (definite): 1 actor was still blocked"),
            std::string::npos)
      << failure_of.at("LeavesAnActorBlocked");
  EXPECT_NE(failure_of.at("Deadlocks")
                .find("gridlock: deadlock (definite): 2 actors wait for each other in a cycle"),
            std::string::npos)
      << failure_of.at("Deadlocks");
}

// A program that dies (abort, an uncaught exception, an invalid write) while an actor is blocked:
// its crash report is on disk, complete and valid, and the process still dies of its signal.
class CrashFlush : public ::testing::TestWithParam<std::pair<const char *, int>> {};

TEST_P(CrashFlush, TheReportIsOnDiskAndTheProcessDiesOfItsSignal) {
  const auto [mode, signal] = GetParam();
  const gridlock::testing::temp_dir tmp("crash");
  const fs::path &dir = tmp.path();
  const auto p = gridlock::testing::run_process(
      {program("crash_with_blocked_actor"), mode},
      {"GRIDLOCK_OPTIONS=report_dir=" + dir.string() + ":detect_delay_ms=60000:trace=1"});
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  EXPECT_NE(p.status, 0) << p.err; // the sanitizer's own handler runs after ours, and exits
#else
  EXPECT_FALSE(p.exited) << p.err;
  EXPECT_EQ(p.status, signal) << p.err;
#endif
  // The handler is async-signal-safe: ThreadSanitizer flags any signal-unsafe call made in it.
  EXPECT_EQ(p.err.find("signal-unsafe"), std::string::npos) << p.err;
  const auto reports = gridlock::testing::read_reports(dir); // parses: valid JSON, our schema
  ASSERT_EQ(reports.size(), 1u) << p.err;
  ASSERT_EQ(reports[0].findings.size(), 1u);
  const auto &f = reports[0].findings[0];
  EXPECT_EQ(f.kind, "crash");
  EXPECT_NE(f.summary.find(signal == SIGSEGV                          ? "SIGSEGV"
                           : std::string(mode).rfind("abort", 0) == 0 ? "abort"
                                                                      : "terminate"),
            std::string::npos)
      << f.summary;
  for (const auto &a : f.actors) EXPECT_EQ(a.name, "sleeper");
  // The flight recorder came along: the sleeper's spawn is in it.
  EXPECT_TRUE(std::any_of(reports[0].trace.begin(), reports[0].trace.end(),
                          [](const auto &e) { return e.event == "spawn" && e.peer == "sleeper"; }));
}

// The program's own watchdog aborts it 200 ms after two threads deadlocked, long before
// detect_delay_ms (60 s): the deadlock, never reported while the program lived, is in the crash
// report, with its cycle, ahead of the crash finding.
TEST(Programs, ADeadlockNotYetReportedWhenTheProgramAbortsIsInTheCrashReport) {
  const gridlock::testing::temp_dir tmp("crash");
  const fs::path &dir = tmp.path();
  const auto p = gridlock::testing::run_process(
      {program("crash_with_blocked_actor"), "watchdog"},
      {"GRIDLOCK_OPTIONS=report_dir=" + dir.string() + ":detect_delay_ms=60000"});
  EXPECT_NE(p.err.find("watchdog: no progress"), std::string::npos) << p.err;
  const auto reports = gridlock::testing::read_reports(dir);
  ASSERT_EQ(reports.size(), 1u) << p.err;
  ASSERT_EQ(reports[0].findings.size(), 2u) << p.err;
  const auto &deadlock = reports[0].findings[0];
  EXPECT_EQ(deadlock.kind, "deadlock");
  EXPECT_EQ(deadlock.certainty, "definite");
  EXPECT_EQ(sorted(deadlock.cycle), (std::vector<std::string>{"A", "B"}));
  const std::string source = prog_src + "/crash_with_blocked_actor.cpp";
  expect_actor(deadlock, "A", "chan send", "A->B", source, expected_line(source, "chan send"));
  expect_actor(deadlock, "B", "chan send", "B->A", source, expected_line(source, "chan send"));
  const auto &crash = reports[0].findings[1];
  EXPECT_EQ(crash.kind, "crash");
  EXPECT_NE(crash.summary.find("abort"), std::string::npos) << crash.summary;
  EXPECT_EQ(crash.actors.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Programs, CrashFlush,
                         ::testing::Values(std::make_pair("abort", SIGABRT),
                                           std::make_pair("abort_twice", SIGABRT),
                                           std::make_pair("terminate", SIGABRT),
                                           std::make_pair("segv", SIGSEGV),
                                           std::make_pair("overflow", SIGSEGV)));
