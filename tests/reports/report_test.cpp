// The report model: JSON round trip with the binding field names, the terminal text's shape, and
// clear errors on malformed input.
#include "process.hpp"
#include "sample_report.hpp"
#include "temp_dir.hpp"

#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace gridlock::report;

namespace {
int count(const std::string &hay, const std::string &needle) {
  int n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1))
    ++n;
  return n;
}

report sample() { return gridlock::testing::sample_report(); }
} // namespace

TEST(Report, JsonUsesTheBindingFieldNames) {
  const auto j = nlohmann::json::parse(to_json(sample()));
  EXPECT_EQ(j["tool"], "gridlock");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["source"], "runtime");
  EXPECT_EQ(j["pid"], 42);
  const auto &f = j["findings"][0];
  EXPECT_EQ(f["kind"], "deadlock");
  EXPECT_EQ(f["certainty"], "definite");
  EXPECT_EQ(f["actors"][0]["name"], "A");
  EXPECT_EQ(f["actors"][0]["op"], "chan send");
  EXPECT_EQ(f["actors"][0]["resource"], "a");
  EXPECT_EQ(f["actors"][0]["location"]["file"], "x.cpp");
  EXPECT_EQ(f["actors"][0]["location"]["line"], 12);
  EXPECT_EQ(f["actors"][0]["waited_ms"], 250);
  EXPECT_EQ(f["resources"][0]["capacity"], 0);
  EXPECT_EQ(f["cycle"], nlohmann::json({"A", "B"}));
}

TEST(Report, JsonRoundTrips) {
  const report r = sample();
  const report back = from_json(to_json(r));
  EXPECT_EQ(to_json(back), to_json(r));
}

TEST(Report, MalformedInputIsAOneLineError) {
  for (const char *bad : {"", "{", "[]", R"({"tool":"other","schema_version":1,"findings":[]})",
                          R"({"tool":"gridlock","schema_version":1})",
                          R"({"tool":"gridlock","schema_version":1,"findings":[{"kind":1}]})"}) {
    try {
      from_json(bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const std::runtime_error &e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

TEST(Report, TextIsShapedLikeASanitizerReport) {
  const std::string t = to_text(sample());
  EXPECT_NE(t.find("WARNING: gridlock: deadlock (pid=42)"), std::string::npos) << t;
  EXPECT_NE(t.find("Actor 'A' blocked 250 ms in chan send on 'a' at x.cpp:12"), std::string::npos)
      << t;
  EXPECT_NE(t.find("waits for 'B'"), std::string::npos) << t;
  EXPECT_NE(t.find("SUMMARY: gridlock: deadlock (definite) x.cpp:12 A -> B -> A"),
            std::string::npos)
      << t;
}

TEST(Report, HtmlEscapesEveryProgramSuppliedString) {
  report r = sample();
  r.program = "<b>prog</b>";
  finding &f = r.findings[0];
  f.actors[0].name = "<script>alert(1)</script>";
  f.actors[0].resource = "\"><img src=x onerror=alert(2)>";
  f.actors[0].where.file = "a'b<c>.cpp";
  f.actors[0].note = "x & y";
  f.cycle = {"<script>alert(1)</script>", "B"};
  f.summary = "<i>summary</i>";
  f.actors[0].where.context = {"</pre><script>alert(3)</script>"};
  f.actors[0].where.first_line = 12;
  const std::string html = to_html(r);
  // The page's one script is its own (the index), at the end; no other script element exists.
  EXPECT_EQ(count(html, "<script"), 1);
  EXPECT_EQ(html.find("<script>"), html.rfind("<script>// The findings index"));
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("a&#39;b&lt;c&gt;.cpp:12"), std::string::npos);
  EXPECT_NE(html.find("x &amp; y"), std::string::npos);
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;script&gt;alert(3)"), std::string::npos);
  // Nothing is fetched and no other script may run: the page's CSP says so itself.
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("script-src 'sha256-"), std::string::npos);
}

// --- the HTML page's pictures ----------------------------------------------------------------

namespace {
// A deadlock A -> B -> A over channels a and b, and C waiting (AND) on B's mailbox outside it.
report with_bystander() {
  report r = sample();
  finding &f = r.findings[0];
  f.actors.push_back({"C", "mailbox receive_all", "box", {"y.cpp", 7, 1, ""}, 100, {"B"}, "all"});
  f.resources.push_back({"box", "mailbox", std::nullopt});
  return r;
}
} // namespace

TEST(ReportHtml, WaitForGraphHasTheActorsResourcesAndHighlightedCycle) {
  const std::string html = to_html(with_bystander());
  for (const char *node :
       {R"(<g class="node actor cycle" data-name="A">)",
        R"(<g class="node actor cycle" data-name="B">)",
        R"(<g class="node resource cycle" data-name="a">)",
        R"(<g class="node resource cycle" data-name="b">)",
        R"(<g class="node actor" data-name="C">)", R"(<g class="node resource" data-name="box">)"})
    EXPECT_EQ(count(html, node), 1) << node;
  // OR waits (channel ops) dashed, the AND wait solid; the cycle's edges marked.
  for (const char *edge : {R"(<g class="edge or cycle" data-from="A" data-to="a">)",
                           R"(<g class="edge release cycle" data-from="a" data-to="B">)",
                           R"(<g class="edge or cycle" data-from="B" data-to="b">)",
                           R"(<g class="edge release cycle" data-from="b" data-to="A">)",
                           R"(<g class="edge and" data-from="C" data-to="box">)",
                           R"(<g class="edge release" data-from="box" data-to="B">)"})
    EXPECT_EQ(count(html, edge), 1) << edge;
  EXPECT_EQ(count(html, "<g class=\"edge "), 6 + 4) << "6 edges and the legend's 4 samples";
  // Each wait is labelled with its operation and line.
  EXPECT_NE(html.find(">chan send @ x.cpp:12</text>"), std::string::npos);
  EXPECT_NE(html.find(">mailbox receive_all @ y.cpp:7</text>"), std::string::npos);
}

TEST(ReportHtml, AJoinPointsStraightAtTheJoinedActor) {
  report r = sample();
  r.findings[0].actors.push_back(
      {"main", "thread join", "A", {"m.cpp", 3, 1, ""}, 9, {"A"}, "any"});
  r.findings[0].resources.push_back({"A", "thread", std::nullopt});
  const std::string html = to_html(r);
  EXPECT_EQ(count(html, R"(data-from="main" data-to="A">)"), 1);
  EXPECT_EQ(count(html, R"(class="node resource" data-name="A")"), 0);
}

TEST(ReportHtml, StaticStepsShowTheirSourceLinesAndNotes) {
  report r = sample();
  r.source = "static";
  actor_entry &a = r.findings[0].actors[0];
  a.note = "A sends on 'a' first";
  a.where.first_line = 11;
  a.where.context = {"void f() {", "  a.send(1);", "  b.recv();"};
  const std::string html = to_html(r);
  EXPECT_NE(html.find("<tr class=\"hl\"><td class=\"ln\">12</td><td class=\"code\"><pre>  "
                      "a.send(1);</pre></td><td class=\"note\">A sends on &#39;a&#39; first</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<td class=\"ln\">11</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"ln\">13</td>"), std::string::npos);
}

TEST(ReportHtml, SourceContextComesFromTheFileOnDisk) {
  const gridlock::testing::temp_dir dir("context");
  std::ofstream(dir / "x.cpp") << "l1\nl2\nl3\nl4\nl5\nl6\n";
  report r = sample();
  r.findings[0].actors[0].where.file = (dir / "x.cpp").string();
  r.findings[0].actors[0].where.line = 5;
  r.findings[0].actors[1].where.file = (dir / "missing.cpp").string();
  attach_source_context(r, 2);
  EXPECT_EQ(r.findings[0].actors[0].where.first_line, 3u);
  EXPECT_EQ(r.findings[0].actors[0].where.context,
            (std::vector<std::string>{"l3", "l4", "l5", "l6"}));
  EXPECT_TRUE(r.findings[0].actors[1].where.context.empty());
}

namespace {
trace_event ev(std::uint64_t actor, const char *name, std::int64_t t, const char *what,
               std::uint64_t msg = 0, std::uint64_t lamport = 0) {
  trace_event e;
  e.actor_id = actor;
  e.actor = name;
  e.t_us = t;
  e.event = what;
  e.msg = msg;
  e.lamport = lamport;
  e.vc = {{actor, lamport}};
  e.resource = "a";
  return e;
}
// A sends to B, both block (never to wake), the cycle closes at 40 us, found at 5000 us;
// main blocks in a join at 5 us and wakes at 8 us, then blocks again.
report traced() {
  report r = sample();
  r.trace = {ev(3, "main", 1, "spawn", 0, 1), ev(3, "main", 5, "block"),
             ev(1, "A", 10, "send", 7, 1),    ev(2, "B", 12, "receive", 7, 2),
             ev(3, "main", 8, "unblock"),     ev(3, "main", 9, "block"),
             ev(1, "A", 30, "block"),         ev(2, "B", 40, "block")};
  std::stable_sort(r.trace.begin(), r.trace.end(),
                   [](const auto &x, const auto &y) { return x.t_us < y.t_us; });
  r.findings[0].closed_us = 40;
  r.findings[0].detected_us = 5000;
  return r;
}
} // namespace

TEST(ReportHtml, TimelineHasOneLanePerActorWithBlockedIntervalsMessagesAndMarks) {
  const std::string html = to_html(traced());
  EXPECT_EQ(count(html, "<g class=\"lane\""), 3);
  for (const char *lane : {"A", "B", "main"})
    EXPECT_EQ(count(html, "<g class=\"lane\" data-actor=\"" + std::string(lane) + "\">"), 1);
  EXPECT_EQ(count(html, "<rect class=\"blocked\""), 4); // main twice, A, B
  EXPECT_EQ(count(html, "<line class=\"msg\""), 1);
  EXPECT_EQ(count(html, "<line class=\"mark closed\""), 1);
  EXPECT_EQ(count(html, "<line class=\"mark detected\""), 1);
  // The lanes of the finding's actors come first, in finding order.
  EXPECT_LT(html.find("data-actor=\"A\""), html.find("data-actor=\"main\""));
}

TEST(ReportJson, TraceAndTimesRoundTrip) {
  const report r = traced();
  const report back = from_json(to_json(r));
  ASSERT_EQ(back.trace.size(), r.trace.size());
  const auto send = std::find_if(back.trace.begin(), back.trace.end(),
                                 [](const trace_event &e) { return e.event == "send"; });
  ASSERT_NE(send, back.trace.end());
  EXPECT_EQ(send->msg, 7u);
  EXPECT_EQ(send->vc, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 1}}));
  EXPECT_EQ(back.findings[0].closed_us, 40);
  EXPECT_EQ(back.findings[0].detected_us, 5000);
  EXPECT_EQ(to_json(back), to_json(r));
}

TEST(ReportJson, WrongSchemaVersionIsRejected) {
  try {
    from_json(R"({"tool":"gridlock","schema_version":2,"findings":[]})");
    ADD_FAILURE() << "accepted schema_version 2";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("unsupported schema_version 2"), std::string::npos);
  }
}

TEST(ReportJson, InvalidUtf8InNamesIsReplacedNotThrown) {
  report r = sample();
  r.findings[0].actors[0].name = "bad\xff\xfename";
  const auto j = nlohmann::json::parse(to_json(r));
  EXPECT_EQ(j["findings"][0]["actors"][0]["name"], "bad\xef\xbf\xbd\xef\xbf\xbdname");
}

// --- Perfetto / Chrome trace events -----------------------------------------------------------

namespace {
// Every "X" slice of one thread either contains the next one or ends before it starts.
void expect_slices_nest(const nlohmann::json &events) {
  std::map<std::uint64_t, std::vector<std::pair<std::int64_t, std::int64_t>>> by_tid;
  for (const auto &e : events)
    if (e["ph"] == "X")
      by_tid[e["tid"]].emplace_back(e["ts"],
                                    e["ts"].get<std::int64_t>() + e["dur"].get<std::int64_t>());
  for (auto &[tid, slices] : by_tid) {
    std::sort(slices.begin(), slices.end(), [](const auto &x, const auto &y) {
      return x.first != y.first ? x.first < y.first : x.second > y.second;
    });
    std::vector<std::int64_t> open; // ends of the enclosing slices
    for (const auto &[begin, end] : slices) {
      while (!open.empty() && open.back() <= begin && !(open.back() == begin && end == begin))
        open.pop_back();
      if (!open.empty()) {
        EXPECT_LE(end, open.back()) << "tid " << tid << " slice at " << begin;
      }
      open.push_back(end);
    }
  }
}
} // namespace

TEST(Perfetto, TraceBecomesNestedSlicesFlowsAndADetectionMarker) {
  const auto doc = nlohmann::json::parse(to_perfetto(traced()));
  const auto &events = doc.at("traceEvents");
  std::map<std::string, int> ph;
  std::set<std::string> threads;
  for (const auto &e : events) {
    ++ph[e.at("ph").get<std::string>()];
    ASSERT_TRUE(e.contains("pid"));
    if (e["ph"] == "M" && e["name"] == "thread_name") threads.insert(e["args"]["name"]);
    if (e["ph"] == "X") {
      EXPECT_GE(e.at("dur").get<std::int64_t>(), 0);
      EXPECT_TRUE(e.contains("tid") && e.contains("ts") && e.contains("name"));
    }
  }
  EXPECT_EQ(threads, (std::set<std::string>{"A", "B", "main"}));
  EXPECT_EQ(ph["s"], 1); // the message: a flow from A's send ...
  EXPECT_EQ(ph["f"], 1); // ... to B's receive
  EXPECT_EQ(ph["i"], 1); // detected
  // Blocked intervals: main's first (5..8), then main, A, B until the detection.
  int blocked = 0;
  for (const auto &e : events)
    if (e["ph"] == "X" && e["cat"] == "wait") {
      ++blocked;
      if (e["tid"] == 3 && e["ts"] == 5) {
        EXPECT_EQ(e["dur"], 3);
      }
      if (e["tid"] == 1) {
        EXPECT_EQ(e["ts"].get<int>() + e["dur"].get<int>(), 5000);
      }
    }
  EXPECT_EQ(blocked, 4);
  expect_slices_nest(events);
}

TEST(Perfetto, WithoutATraceTheFindingsWaitsAreSlices) {
  const auto doc = nlohmann::json::parse(to_perfetto(sample()));
  int slices = 0;
  for (const auto &e : doc.at("traceEvents"))
    if (e["ph"] == "X") {
      ++slices;
      EXPECT_EQ(e["dur"].get<int>(), e["name"] == "deadlock: chan send a" ? 250000 : 240000);
    }
  EXPECT_EQ(slices, 2);
  expect_slices_nest(doc.at("traceEvents"));
}

// --- gridlock-report, the CLI ---------------------------------------------------------------

namespace {
std::filesystem::path write_temp(const std::string &name, const std::string &text) {
  static const gridlock::testing::temp_dir dir("report-test"); // removed at exit
  std::ofstream(dir / name) << text;
  return dir / name;
}
std::string last_line(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s.substr(s.rfind('\n') == std::string::npos ? 0 : s.rfind('\n') + 1);
}
} // namespace

TEST(GridlockReport, MergesReportsIntoOnePage) {
  report a = sample(), b = sample();
  b.source = "static";
  b.findings[0].kind = "circular-send";
  b.findings[0].rule = "gridlock-circular-send";
  const auto pa = write_temp("a.json", to_json(a)), pb = write_temp("b.json", to_json(b));
  const auto html =
      gridlock::testing::run_process({GRIDLOCK_REPORT_BIN, pa, pb, "--format", "html"});
  EXPECT_EQ(html.status, 0) << html.err;
  EXPECT_NE(html.out.find("<td>deadlock</td>"), std::string::npos);
  EXPECT_NE(html.out.find("<td>circular-send</td>"), std::string::npos);
  const auto text =
      gridlock::testing::run_process({GRIDLOCK_REPORT_BIN, pa, pb, "--format", "text"});
  EXPECT_NE(text.out.find("x.cpp:12:3: warning: "), std::string::npos)
      << text.out; // static: diagnostics
  EXPECT_NE(text.out.find("WARNING: gridlock: deadlock"), std::string::npos)
      << text.out; // runtime: sanitizer
  const auto json =
      gridlock::testing::run_process({GRIDLOCK_REPORT_BIN, pa, pb, "--format", "json"});
  EXPECT_EQ(from_json(json.out).findings.size(), 2u);
  EXPECT_EQ(from_json(json.out).source, "merged");
}

TEST(GridlockReport, BadInputIsOneLineAndStatus2) {
  const auto bad = write_temp("bad.json", "{\"tool\": \"gridlock\"");
  const auto good = write_temp("good.json", to_json(sample()));
  for (const auto &args : std::vector<std::vector<std::string>>{
           {GRIDLOCK_REPORT_BIN},
           {GRIDLOCK_REPORT_BIN, "/no/such/report.json"},
           {GRIDLOCK_REPORT_BIN, bad.string()},
           {GRIDLOCK_REPORT_BIN, good.string(), "--format", "pdf"},
           {GRIDLOCK_REPORT_BIN, good.string(), "--bogus"}}) {
    const auto r = gridlock::testing::run_process(args);
    EXPECT_TRUE(r.exited);
    EXPECT_EQ(r.status, 2) << args.back();
    EXPECT_EQ(last_line(r.err).rfind("gridlock-report: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(GridlockReport, PerfettoAndIndexFormats) {
  const auto pa = write_temp("traced.json", to_json(traced()));
  std::ofstream(std::filesystem::path(pa).replace_extension(".html")) << to_html(traced());
  const auto perfetto =
      gridlock::testing::run_process({GRIDLOCK_REPORT_BIN, pa, "--format", "perfetto"});
  ASSERT_EQ(perfetto.status, 0) << perfetto.err;
  EXPECT_TRUE(nlohmann::json::parse(perfetto.out).contains("traceEvents"));
  const auto out = std::filesystem::path(pa).parent_path() / "index.html";
  const auto index = gridlock::testing::run_process(
      {GRIDLOCK_REPORT_BIN, pa, "--format", "index", "-o", out.string()});
  ASSERT_EQ(index.status, 0) << index.err;
  std::ifstream in(out);
  const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<a href=\"traced.html#f0\">1</a>"), std::string::npos) << html;
}
