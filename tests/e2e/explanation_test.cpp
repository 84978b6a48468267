// End-to-end, issue 19: every deadlock report explains its cycle, also for programs written the
// way users write them: channel handles COPIED into the threads' lambdas (or arguments) while
// `main` keeps its originals. Each program runs as a real process; the test checks its exit, its
// JSON findings (the cycle in order, every blocked actor with its operation, resource, line and
// what it waits for), its text report on stderr (the SUMMARY line at the cycle's first wait) and,
// for the pipeline, its HTML pages. Lines come from the programs' `EXPECT:` comments.
#include "e2e_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using gridlock::report::finding;
using gridlock::testing::expect_actor;
using gridlock::testing::expected_line;
using gridlock::testing::find_actor;
using gridlock::testing::run;
using gridlock::testing::run_result;
using gridlock::testing::sorted;

namespace {

std::string program(const char *name) { return std::string(GRIDLOCK_PROGRAMS_BIN) + "/" + name; }
std::string source(const char *file) { return std::string(GRIDLOCK_PROGRAMS_SRC) + "/" + file; }

// One blocked actor as a finding must show it: its wait, and where it is in the program.
struct wait_step {
  std::string actor, op, resource;
  unsigned line;
};

// The run's findings of kind "deadlock", in the order they were reported.
std::vector<finding> deadlocks(const run_result &r) {
  std::vector<finding> out;
  for (const auto &f : gridlock::testing::all_findings(r))
    if (f.kind == "deadlock") out.push_back(f);
  return out;
}

// Runs a program that deadlocks with on_deadlock=abort and every report format: it must die
// of SIGABRT, and each deadlock it reported be definite and acted on by aborting.
run_result run_to_abort(const char *name) {
  run_result r = run(program(name), "on_deadlock=abort:report_format=text,json,html");
  EXPECT_FALSE(r.exited) << r.err;
  EXPECT_EQ(r.status, SIGABRT) << r.err;
  for (const finding &f : deadlocks(r)) {
    EXPECT_EQ(f.certainty, "definite") << f.summary;
    EXPECT_EQ(f.action, "aborted the process") << f.summary;
  }
  return r;
}

std::vector<std::string> actor_names(const finding &f) {
  std::vector<std::string> names;
  for (const auto &a : f.actors) names.push_back(a.name);
  return names;
}

// `f` names `cycle` in wait order: f.cycle holds their names, f.actors begins with them in that
// order, each at its operation, resource and line, each waiting first for the next one round.
void expect_cycle(const finding &f, const std::string &file, const std::vector<wait_step> &cycle) {
  std::vector<std::string> names;
  for (const auto &s : cycle) names.push_back(s.actor);
  EXPECT_EQ(f.cycle, names) << f.summary;
  ASSERT_GE(f.actors.size(), cycle.size()) << f.summary;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const auto &a = f.actors[i];
    const auto &s = cycle[i];
    EXPECT_EQ(a.name, s.actor) << "actors[" << i << "] of: " << f.summary;
    expect_actor(f, s.actor, s.op, s.resource, file, s.line);
    const std::string &next = cycle[(i + 1) % cycle.size()].actor;
    ASSERT_FALSE(a.waits_for.empty()) << a.name << " does not say what it waits for";
    EXPECT_EQ(a.waits_for[0], next) << a.name;
  }
}

// `s` is listed after the cycle's actors (blocked because of it), waiting first for `first`.
void expect_also_blocked(const finding &f, const std::string &file, const wait_step &s,
                         const std::string &first) {
  const auto at = std::find_if(f.actors.begin(), f.actors.end(),
                               [&](const auto &a) { return a.name == s.actor; });
  ASSERT_NE(at, f.actors.end()) << s.actor << " is not listed in: " << f.summary;
  EXPECT_GE(static_cast<std::size_t>(at - f.actors.begin()), f.cycle.size())
      << s.actor << " is listed among the cycle's actors";
  expect_actor(f, s.actor, s.op, s.resource, file, s.line);
  ASSERT_FALSE(at->waits_for.empty()) << s.actor << " does not say what it waits for";
  EXPECT_EQ(at->waits_for[0], first) << s.actor;
}

// The first "SUMMARY:" line of a text report.
std::string first_summary_line(const std::string &err) {
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("SUMMARY:", 0) == 0) return line;
  return "";
}

// The text report on stderr: its first SUMMARY line points at the cycle's first wait and names
// the cycle, which is introduced, each of its actors waiting for the next.
void expect_text(const run_result &r, const std::string &certainty, const std::string &file,
                 const std::vector<wait_step> &cycle) {
  ASSERT_FALSE(cycle.empty());
  std::string names;
  for (const auto &s : cycle) names += s.actor + " -> ";
  names += cycle.front().actor;
  EXPECT_EQ(first_summary_line(r.err), "SUMMARY: gridlock: deadlock (" + certainty + ") " +
                                           std::filesystem::path(file).filename().string() + ":" +
                                           std::to_string(cycle.front().line) + " " + names)
      << r.err;
  EXPECT_NE(r.err.find("Cycle of " + std::to_string(cycle.size()) + " actors:"), std::string::npos)
      << r.err;
  // Each cycle actor's line ("Actor 'x' blocked ... at file:line") is followed by what it waits
  // for, the next actor round the cycle first.
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const auto at = r.err.find("Actor '" + cycle[i].actor + "' ");
    ASSERT_NE(at, std::string::npos) << cycle[i].actor << " is not in the text:\n" << r.err;
    const auto begin = r.err.find('\n', at) + 1;
    std::string next_line = r.err.substr(begin, r.err.find('\n', begin) - begin);
    next_line.erase(0, next_line.find_first_not_of(' '));
    for (const std::string prefix : {"waits for ", "all of: "})
      if (next_line.rfind(prefix, 0) == 0) next_line.erase(0, prefix.size());
    const std::string next = "'" + cycle[(i + 1) % cycle.size()].actor + "'";
    EXPECT_EQ(next_line.substr(0, next.size()), next)
        << cycle[i].actor << " does not wait for " << next << " first:\n"
        << r.err;
  }
}

// The HTML (report_format with html): the index's row for the finding shows the cycle's first
// wait as its "where", and the finding's page lists every actor, with its operation, in its
// actors table.
void expect_html(const run_result &r, const std::string &file, unsigned first_line,
                 const std::vector<std::pair<std::string, std::string>> &actors) {
  ASSERT_EQ(r.reports.size(), 1u);
  const std::string page = "gridlock." + std::to_string(r.reports[0].pid) + ".1.html";
  ASSERT_EQ(r.html.count("index.html"), 1u) << r.err;
  ASSERT_EQ(r.html.count(page), 1u) << r.err;
  const std::string &index = r.html.at("index.html");
  const auto row_at = index.find("<tr data-kind=\"deadlock\">");
  ASSERT_NE(row_at, std::string::npos) << index;
  const std::string row = index.substr(row_at, index.find("</tr>", row_at) - row_at);
  EXPECT_NE(row.find("href=\"" + page + "#f0\""), std::string::npos) << row;
  const auto code = row.rfind("<code>");
  ASSERT_NE(code, std::string::npos) << row;
  const std::string where = row.substr(code + 6, row.find("</code>", code) - code - 6);
  const std::string name = std::regex_replace(file, std::regex("\\."), "\\.");
  EXPECT_TRUE(std::regex_search(
      where, std::regex("(^|/)" + name + ":" + std::to_string(first_line) + "(:[0-9]+)?$")))
      << "the index's where: " << where;
  const std::string &html = r.html.at(page);
  for (const auto &[actor, op] : actors)
    EXPECT_NE(html.find("<tr><td>" + actor + "</td><td>" + op + "</td>"), std::string::npos)
        << actor << " is not in the page's actors table";
}

} // namespace

// source -> middle -> sink -> source, all three in sends, main joining source and holding an
// unused copy of every end: the cycle, in order, from source's send (the oldest wait); main
// listed after it; the SUMMARY line and the HTML index at source's send, not at main's join.
TEST(Explanation, CreditPipelineNamesTheCycleAndPointsAtTheFirstSend) {
  const auto r = run_to_abort("credit_pipeline");
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 1u) << r.err;
  const finding &f = found[0];
  const std::string file = source("credit_pipeline.cpp");
  const unsigned first = expected_line(file, "chan send (source on stage1");
  const std::vector<wait_step> cycle{
      {"source", "chan send", "stage1", first},
      {"middle", "chan send", "stage2", expected_line(file, "chan send (middle")},
      {"sink", "chan send", "credit", expected_line(file, "chan send (sink")}};
  expect_cycle(f, file, cycle);
  expect_also_blocked(
      f, file, {"main", "thread join", "source", expected_line(file, "thread join")}, "source");
  if (const auto *main = find_actor(f, "main")) {
    EXPECT_EQ(main->waits_for, (std::vector<std::string>{"source"}));
  }
  EXPECT_EQ(sorted(actor_names(f)), (std::vector<std::string>{"main", "middle", "sink", "source"}));
  ASSERT_FALSE(f.actors.empty());
  EXPECT_NE(f.actors[0].note.find("'main' also holds an unused copy of the receive end of "
                                  "'stage1'; it is blocked in thread join on 'source'"),
            std::string::npos)
      << f.actors[0].note;
  EXPECT_NE(f.summary.find("3 actors wait for each other in a cycle: source -> middle -> sink -> "
                           "source"),
            std::string::npos)
      << f.summary;
  // "SUMMARY: gridlock: deadlock (definite) credit_pipeline.cpp:<first> source -> middle -> ..."
  expect_text(r, "definite", file, cycle);

  expect_html(r, "credit_pipeline.cpp", first,
              {{"source", "chan send"},
               {"middle", "chan send"},
               {"sink", "chan send"},
               {"main", "thread join"}});
}

// A and B send to each other three calls deep, on handles copied by init-capture: one deadlock
// (not one per actor), both in it at level3's send, main listed as joining A.
TEST(Explanation, DeepSendsThroughInitCapturedCopiesAreOneCycleOfTwo) {
  const auto r = run_to_abort("deep_sends_init_capture");
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 1u) << r.err;
  const finding &f = found[0];
  const std::string file = source("deep_sends_init_capture.cpp");
  const unsigned send = expected_line(file, "chan send (three calls deep");
  const std::vector<wait_step> cycle{{"A", "chan send", "to-B", send},
                                     {"B", "chan send", "to-A", send}};
  expect_cycle(f, file, cycle);
  expect_also_blocked(f, file, {"main", "thread join", "A", expected_line(file, "thread join")},
                      "A");
  EXPECT_EQ(sorted(actor_names(f)), (std::vector<std::string>{"A", "B", "main"}));
  EXPECT_NE(f.summary.find("2 actors wait for each other in a cycle: A -> B -> A"),
            std::string::npos)
      << f.summary;
  // "SUMMARY: gridlock: deadlock (definite) deep_sends_init_capture.cpp:<send> A -> B -> A"
  expect_text(r, "definite", file, cycle);
  expect_html(r, "deep_sends_init_capture.cpp", send,
              {{"A", "chan send"}, {"B", "chan send"}, {"main", "thread join"}});
}

// A and B deadlock while main keeps running with unused copies of the handles it gave by
// init-capture: a probable deadlock that says what main could still do, never acted on.
TEST(Explanation, PartialCycleWithCapturedCopiesIsProbableAndSaysWhatMainCouldDo) {
  const auto r = run(program("partial_cycle"), "on_deadlock=break", {"capture"});
  EXPECT_TRUE(r.exited && r.status == 0) << r.out << r.err;
  EXPECT_NE(r.out.find("main: deadlock reported (probable)"), std::string::npos) << r.out;
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 1u) << r.err;
  const finding &f = found[0];
  EXPECT_EQ(f.certainty, "probable");
  EXPECT_EQ(f.action, "reported"); // probable: never acted on
  const std::string file = source("partial_cycle.cpp");
  const unsigned send = expected_line(file, "chan send");
  const std::vector<wait_step> cycle{{"A", "chan send", "to-B", send},
                                     {"B", "chan send", "to-A", send}};
  expect_cycle(f, file, cycle);
  EXPECT_EQ(find_actor(f, "main"), nullptr) << "main is running, not blocked";
  EXPECT_NE(f.summary.find("unless 'main' uses its unused copy of the receive end of 'to-B'"),
            std::string::npos)
      << f.summary;
  EXPECT_NE(f.summary.find("'main' uses its unused copy of the receive end of 'to-A'"),
            std::string::npos)
      << f.summary;
  expect_text(r, "probable", file, cycle);
}

// The probable partial deadlock, then main joins A: the whole process is stuck, so the same
// cycle is reported again as definite, a consequence of the probable finding, and acted on.
TEST(Explanation, ProbableCycleIsReportedAgainAsDefiniteWhenMainBlocksToo) {
  const auto r = run(program("partial_cycle"), "on_deadlock=abort", {"capture-then-join"});
  EXPECT_TRUE(!r.exited && r.status == SIGABRT) << r.out << r.err;
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 2u) << r.err;
  EXPECT_EQ(found[0].certainty, "probable");
  EXPECT_EQ(found[0].action, "reported");
  const finding &f = found[1];
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(f.action, "aborted the process");
  EXPECT_EQ(f.after, found[0].id);
  EXPECT_EQ(f.after_why, "the probable deadlock became definite");
  const std::string file = source("partial_cycle.cpp");
  const unsigned send = expected_line(file, "chan send");
  expect_cycle(f, file, {{"A", "chan send", "to-B", send}, {"B", "chan send", "to-A", send}});
  const auto *main_entry = find_actor(f, "main");
  ASSERT_NE(main_entry, nullptr);
  EXPECT_EQ(main_entry->op, "thread join");
  EXPECT_EQ(main_entry->where.line, expected_line(file, "thread join"));
}

// The same partial deadlock with the copies passed as gridlock::thread arguments: they belong to
// A and B from the start, so it is definite, and on_deadlock=break breaks it.
TEST(Explanation, PartialCycleWithCopiesPassedAsThreadArgumentsIsDefinite) {
  const auto r = run(program("partial_cycle"), "on_deadlock=break", {"args"});
  EXPECT_TRUE(r.exited && r.status == 0) << r.out << r.err;
  EXPECT_NE(r.out.find("main: deadlock reported (definite)"), std::string::npos) << r.out;
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 1u) << r.err; // no second deadlock
  const finding &f = found[0];
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_EQ(f.action.rfind("broke the wait of", 0), 0u) << f.action;
  const std::string file = source("partial_cycle.cpp");
  const unsigned send = expected_line(file, "chan send");
  const std::vector<wait_step> cycle{{"A", "chan send", "to-B", send},
                                     {"B", "chan send", "to-A", send}};
  expect_cycle(f, file, cycle);
  EXPECT_EQ(find_actor(f, "main"), nullptr) << "main is running, not blocked";
  expect_text(r, "definite", file, cycle);
}

// examples/seed1_sync_sends.cpp in the copy style: the seed's deadlock (Examples.Seed1...), with
// every blocked actor, the cycle from A's send (the oldest wait), and one root finding.
TEST(Explanation, CopyStyleSeed1IsTheSeedsDeadlockFromTheFirstSend) {
  const auto r = run_to_abort("copy_style_seed1");
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 1u) << r.err;
  const finding &f = found[0];
  const std::string file = source("copy_style_seed1.cpp");
  const unsigned send = expected_line(file, "chan send");
  const std::vector<wait_step> cycle{{"A", "chan send", "A->B", send},
                                     {"B", "chan send", "B->A", send}};
  expect_cycle(f, file, cycle);
  expect_also_blocked(f, file, {"main", "thread join", "A", expected_line(file, "thread join")},
                      "A");
  EXPECT_EQ(sorted(actor_names(f)), (std::vector<std::string>{"A", "B", "main"}));
  expect_text(r, "definite", file, cycle);
  expect_html(r, "copy_style_seed1.cpp", send,
              {{"A", "chan send"}, {"B", "chan send"}, {"main", "thread join"}});
}

// examples/seed5_mutex_across_send.cpp in the copy style: the mixed lock/channel cycle from
// holder's send (the oldest wait), main listed as joining holder.
TEST(Explanation, CopyStyleSeed5IsTheSeedsMixedCycleFromTheHoldersSend) {
  const auto r = run_to_abort("copy_style_seed5");
  const auto found = deadlocks(r);
  ASSERT_EQ(found.size(), 1u) << r.err;
  const finding &f = found[0];
  const std::string file = source("copy_style_seed5.cpp");
  const unsigned send = expected_line(file, "chan send");
  const std::vector<wait_step> cycle{
      {"holder", "chan send", "updates", send},
      {"worker", "mutex lock", "state", expected_line(file, "mutex lock")}};
  expect_cycle(f, file, cycle);
  expect_also_blocked(
      f, file, {"main", "thread join", "holder", expected_line(file, "thread join")}, "holder");
  EXPECT_EQ(sorted(actor_names(f)), (std::vector<std::string>{"holder", "main", "worker"}));
  expect_text(r, "definite", file, cycle);
  expect_html(r, "copy_style_seed5.cpp", send,
              {{"holder", "chan send"}, {"worker", "mutex lock"}, {"main", "thread join"}});
}

// examples/seed6_replication.cpp in the copy style, with on_deadlock=break as Examples.Seed6...:
// the writer's AND wait and replica-3 form the cycle, from the writer's receive_all (the oldest
// wait); the other replicas and main are listed. Since main holds the senders, breaking replica-3
// leaves the others stuck: every later finding is a consequence of the first, and the program
// ends normally once they are all broken.
TEST(Explanation, CopyStyleSeed6IsOneRootDeadlockFromTheWritersWait) {
  const auto r = run(program("copy_style_seed6"), "on_deadlock=break");
  EXPECT_TRUE(r.exited && r.status == 0) << r.out << r.err;
  const auto all = gridlock::testing::all_findings(r);
  ASSERT_FALSE(all.empty()) << r.err;
  const finding &f = all[0];
  EXPECT_EQ(f.kind, "deadlock");
  EXPECT_EQ(f.certainty, "definite");
  EXPECT_FALSE(f.after.has_value());
  EXPECT_EQ(f.action.rfind("broke the wait of 'replica-3'", 0), 0u) << f.action;
  int roots = 0;
  for (const auto &g : all) {
    if (!g.after) {
      ++roots;
      continue;
    }
    EXPECT_LT(*g.after, g.id) << g.summary; // a consequence of an earlier finding
  }
  EXPECT_EQ(roots, 1) << r.err;
  const std::string file = source("copy_style_seed6.cpp");
  const unsigned receive_all = expected_line(file, "mailbox receive_all");
  const unsigned receive = expected_line(file, "chan receive");
  const std::vector<wait_step> cycle{{"writer", "mailbox receive_all", "acks", receive_all},
                                     {"replica-3", "chan receive", "updates-3", receive}};
  expect_cycle(f, file, cycle);
  if (const auto *writer = find_actor(f, "writer")) {
    EXPECT_EQ(writer->mode, "all");
    EXPECT_EQ(writer->waits_for, (std::vector<std::string>{"replica-3"}));
  }
  expect_also_blocked(f, file, {"replica-1", "chan receive", "updates-1", receive}, "writer");
  expect_also_blocked(f, file, {"replica-2", "chan receive", "updates-2", receive}, "writer");
  expect_also_blocked(
      f, file, {"main", "thread join", "writer", expected_line(file, "thread join")}, "writer");
  EXPECT_EQ(sorted(actor_names(f)),
            (std::vector<std::string>{"main", "replica-1", "replica-2", "replica-3", "writer"}));
  expect_text(r, "definite", file, cycle);
}
