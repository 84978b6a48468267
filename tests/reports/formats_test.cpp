// The format registry, paths relative to a source root (strip_path_prefix, SARIF's %SRCROOT%),
// and consequences linked to the finding that caused them.
#include "sample_report.hpp"

#include <gridlock/report/formats.hpp>
#include <gridlock/report/report.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

using namespace gridlock::report;

namespace {

const std::string kRoot = "/home/me/src/app";

// The sample deadlock with its steps in the build machine's source tree, a third actor in a system
// header, and a traced event.
report absolute_paths() {
  report r = gridlock::testing::sample_report();
  finding &f = r.findings[0];
  f.actors[0].where = location::at(kRoot + "/src/x.cpp", 15, 3);
  f.actors[1].where = location::at(kRoot + "/src/y.cpp", 20, 3);
  f.actors.push_back({"C", "thread join", "A", location::at("/usr/include/c++/12/thread", 9)});
  trace_event e;
  e.actor = "A";
  e.event = "send";
  e.where = location::at(kRoot + "/src/x.cpp", 14);
  r.trace.push_back(e);
  return r;
}

finding numbered(std::int64_t id, const std::string &summary) {
  finding f;
  f.kind = "deadlock";
  f.certainty = "definite";
  f.summary = summary;
  f.id = id;
  f.actors = {{"W", "chan receive", "c", location::at("w.cpp", 7), 300, {}, "any"}};
  return f;
}

} // namespace

TEST(Formats, EveryFormatIsFoundByItsNameAndRenders) {
  std::set<std::string_view> names;
  for (const format &f : formats()) {
    EXPECT_EQ(find_format(f.name), &f);
    EXPECT_FALSE(f.render(absolute_paths(), {}).empty()) << f.name;
    names.insert(f.name);
  }
  EXPECT_EQ(names, (std::set<std::string_view>{"text", "json", "sarif", "html", "perfetto"}));
  EXPECT_EQ(find_format("pdf"), nullptr);
  EXPECT_EQ(format_names(), "text, json, sarif, html or perfetto");
}

TEST(Formats, TextIsDiagnosticsForStaticFindingsAndSanitizerShapeForRuntimeOnes) {
  report r = absolute_paths();
  finding s = r.findings[0];
  s.rule = "gridlock-circular-send";
  r.findings.push_back(s);
  const std::string text = find_format("text")->render(r, {});
  EXPECT_NE(text.find("WARNING: gridlock: deadlock (pid=42)"), std::string::npos) << text;
  EXPECT_NE(text.find("x.cpp:15:3: warning: "), std::string::npos) << text;
}

TEST(StripPathPrefix, NoRendererShowsTheBuildMachinesPaths) {
  report r = absolute_paths();
  strip_path_prefix(r, kRoot + "/"); // a trailing slash is the same root
  EXPECT_EQ(r.findings[0].actors[0].where.file, "src/x.cpp");
  EXPECT_EQ(r.findings[0].actors[2].where.file, "/usr/include/c++/12/thread"); // not below it
  EXPECT_EQ(r.trace[0].where.file, "src/x.cpp");
  for (const format &f : formats()) {
    const std::string out = f.render(r, {"gridlock", kRoot});
    EXPECT_EQ(out.find("/home/me"), std::string::npos) << f.name << ":\n" << out;
    EXPECT_NE(out.find("src/x.cpp"), std::string::npos) << f.name;
  }
}

TEST(StripPathPrefix, OnlyWholeFolderNamesAreStripped) {
  report r = absolute_paths();
  strip_path_prefix(r, "/home/me/src/ap"); // a prefix of a name, not a folder
  EXPECT_EQ(r.findings[0].actors[0].where.file, kRoot + "/src/x.cpp");
  strip_path_prefix(r, "");
  EXPECT_EQ(r.findings[0].actors[0].where.file, kRoot + "/src/x.cpp");
}

TEST(Sarif, FilesBelowTheRootAreRelativeToSrcRoot) {
  const auto sarif = nlohmann::json::parse(to_sarif(absolute_paths(), "gridlock", kRoot));
  const auto &run = sarif["runs"][0];
  EXPECT_TRUE(run["originalUriBaseIds"].contains("%SRCROOT%"));
  const auto &loc = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(loc["uri"], "src/x.cpp");
  EXPECT_EQ(loc["uriBaseId"], "%SRCROOT%");
  const auto &header = run["results"][0]["relatedLocations"][2]["physicalLocation"];
  EXPECT_EQ(header["artifactLocation"]["uri"], "file:///usr/include/c++/12/thread");
  EXPECT_FALSE(header["artifactLocation"].contains("uriBaseId"));
  EXPECT_EQ(sarif.dump().find("/home/me"), std::string::npos) << sarif.dump(2);
}

TEST(Sarif, FingerprintIsTheSameWhereverTheTreeIsChecked) {
  // FNV-1a of the rule and the relative steps (the value checked by hand in Python): pinned, so
  // a change of machine, compiler or standard library (std::hash) cannot move it.
  auto fingerprint = [](const std::string &root) {
    report r = absolute_paths();
    for (auto &a : r.findings[0].actors)
      if (a.where.file.rfind(kRoot, 0) == 0)
        a.where.file = root + a.where.file.substr(kRoot.size());
    const auto sarif = nlohmann::json::parse(to_sarif(r, "gridlock", root));
    return sarif["runs"][0]["results"][0]["partialFingerprints"]["gridlockFinding/v1"]
        .get<std::string>();
  };
  EXPECT_EQ(fingerprint(kRoot), fingerprint("/tmp/ci/checkout"));
  EXPECT_EQ(fingerprint(kRoot), "92c0121ff7250eff");
}

TEST(Consequence, TextAndPageSayWhichFindingCausedIt) {
  report r;
  r.pid = 7;
  r.findings = {numbered(1, "the cycle"), numbered(2, "left stuck")};
  r.findings[1].after = 1;
  r.findings[1].after_why = "after breaking 'replica-3'";
  const std::string text = to_text(r);
  EXPECT_NE(text.find("WARNING: gridlock: deadlock (pid=7, finding 2)\n"), std::string::npos);
  EXPECT_NE(text.find("  Consequence: after breaking 'replica-3' (finding 1)\n"), std::string::npos)
      << text;
  const std::string html = to_html(r);
  EXPECT_NE(html.find("Consequence: after breaking &#39;replica-3&#39; (finding 1)"),
            std::string::npos)
      << html;
  const report back = from_json(to_json(r));
  EXPECT_EQ(back.findings[1].after, 1);
  EXPECT_EQ(back.findings[1].after_why, "after breaking 'replica-3'");
  EXPECT_EQ(back.findings[1].id, 2);
}

TEST(Consequence, TheIndexShowsOneRowPerRootWithItsConsequencesNestedUnderIt) {
  // Three report files of one process: the cause, a consequence of it, a consequence of that.
  auto file = [](std::int64_t id, std::optional<std::int64_t> after) {
    report r;
    r.program = "seed6";
    r.pid = 9;
    r.findings = {numbered(id, "finding number " + std::to_string(id))};
    r.findings[0].after = after;
    r.findings[0].after_why = "after breaking 'x'";
    return indexed_report{"gridlock.9." + std::to_string(id) + ".html", "", r};
  };
  report other = file(1, std::nullopt).r; // another process's finding 1: not a cause
  other.pid = 10;
  const std::string html =
      to_html_index({file(1, std::nullopt), file(2, 1), file(3, 2), {"o.html", "", other}}, "t");
  const auto body = html.substr(html.find("<tbody>"));
  auto rows = 0;
  for (std::size_t at = body.find("<tr "); at != std::string::npos; at = body.find("<tr ", at + 1))
    ++rows;
  EXPECT_EQ(rows, 2) << body; // the root of process 9, and process 10's own finding
  const auto root = body.find("finding number 1<ul class=\"consequences\">");
  ASSERT_NE(root, std::string::npos) << body;
  EXPECT_LT(root, body.find("gridlock.9.2.html#f0"));
  EXPECT_LT(body.find("gridlock.9.2.html#f0"), body.find("gridlock.9.3.html#f0"));
  EXPECT_LT(body.find("gridlock.9.3.html#f0"), body.find("</ul>"));
}
