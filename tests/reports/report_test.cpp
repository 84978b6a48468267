// The report model: JSON round trip with the binding field names, the terminal text's shape, and
// clear errors on malformed input.
#include "process.hpp"

#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace gridlock::report;

namespace {
report sample() {
  report r;
  r.program = "prog";
  r.pid = 42;
  finding f;
  f.kind = "deadlock";
  f.certainty = "definite";
  f.summary = "2 actors wait for each other in a cycle: A -> B -> A";
  f.actors = {{"A", "chan send", "a", {"x.cpp", 12, 3, "f()"}, 250, {"B"}, "any"},
              {"B", "chan send", "b", {"x.cpp", 20, 3, "g()"}, 240, {"A"}, "any"}};
  f.resources = {{"a", "channel", 0}, {"b", "channel", 0}};
  f.cycle = {"A", "B"};
  f.action = "reported";
  r.findings.push_back(f);
  return r;
}
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
  const std::string html = to_html(r);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("a&#39;b&lt;c&gt;.cpp:12"), std::string::npos);
  EXPECT_NE(html.find("x &amp; y"), std::string::npos);
  // No script can run and nothing is fetched: the page says so itself.
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
}

// --- gridlock-report, the CLI ---------------------------------------------------------------

namespace {
std::filesystem::path write_temp(const std::string &name, const std::string &text) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("gridlock-report-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
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
