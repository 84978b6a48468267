#include <gridlock/report/formats.hpp>
#include <gridlock/report/report.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iomanip>
#include <map>
#include <sstream>

namespace gridlock::report {
namespace {

using nlohmann::json;

// The base every relative file is resolved against, as code-scanning UIs expect; its absolute
// value is left to the consumer (the SARIF carries no path of the machine that made it).
constexpr const char *kSrcRoot = "%SRCROOT%";

// A file below `root` (or already relative) relative to %SRCROOT%; anything else (a system
// header) as a file:// URI.
json artifact(const std::string &file, const std::string &root) {
  const std::string uri = relative_to(file, root);
  if (!uri.empty() && uri.front() == '/') return json{{"uri", "file://" + uri}};
  return json{{"uri", uri}, {"uriBaseId", kSrcRoot}};
}

json physical(const location &l, const std::string &root) {
  json region{{"startLine", l.line ? l.line : 1}};
  if (l.column) region["startColumn"] = l.column;
  return json{
      {"physicalLocation", {{"artifactLocation", artifact(l.file, root)}, {"region", region}}}};
}

// 64-bit FNV-1a: a specified hash, so a fingerprint is the same on every machine and compiler
// (std::hash is implementation-defined).
std::uint64_t fnv1a(const std::string &s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::string rule_of(const finding &f) { return f.rule.empty() ? "gridlock-" + f.kind : f.rule; }

// Stable across runs and machines: the rule and the (relative) steps of the finding.
std::string fingerprint(const finding &f, const std::string &root) {
  std::string key = rule_of(f);
  for (const auto &a : f.actors)
    key +=
        "|" + a.name + "@" + relative_to(a.where.file, root) + ":" + std::to_string(a.where.line);
  std::ostringstream hex;
  hex << std::hex << std::setw(16) << std::setfill('0') << fnv1a(key);
  return hex.str();
}

json result(const finding &f, const std::string &root) {
  json related = json::array(), flows = json::array();
  std::string message = f.summary;
  for (std::size_t i = 0; i < f.actors.size(); ++i) {
    const actor_entry &a = f.actors[i];
    json loc = physical(a.where, root);
    loc["id"] = i;
    const std::string text =
        a.note.empty() ? "'" + a.name + "': " + a.op + " on '" + a.resource + "'" : a.note;
    loc["message"] = {{"text", text}};
    related.push_back(loc);
    json step = physical(a.where, root);
    step["message"] = {{"text", text}};
    flows.push_back({{"locations", json::array({{{"location", step}}})},
                     {"message", {{"text", "actor '" + a.name + "'"}}}});
    message += " [" + a.name + "](" + std::to_string(i) + ")";
  }
  json r{{"ruleId", rule_of(f)},
         {"level", f.certainty == "definite" ? "error" : "warning"},
         {"message", {{"text", message}}},
         {"locations",
          json::array({physical(f.actors.empty() ? location{} : f.actors.front().where, root)})},
         {"partialFingerprints", {{"gridlockFinding/v1", fingerprint(f, root)}}},
         {"properties", {{"certainty", f.certainty}, {"kind", f.kind}, {"cycle", f.cycle}}}};
  if (!related.empty()) {
    r["relatedLocations"] = related;
    r["codeFlows"] = json::array({{{"threadFlows", flows}}});
  }
  return r;
}

} // namespace

std::string to_sarif(const report &r, const std::string &tool_name, const std::string &root,
                     const std::map<std::string, std::string> &described) {
  std::map<std::string, std::string> rules; // id -> kind, for the rules the findings use
  for (const finding &f : r.findings) rules.emplace(rule_of(f), f.kind);
  json rule_list = json::array();
  for (const auto &[id, kind] : rules) {
    const auto d = described.find(id);
    const std::string text = d != described.end() ? d->second : "gridlock " + kind;
    rule_list.push_back({{"id", id}, {"name", kind}, {"shortDescription", {{"text", text}}}});
  }
  json results = json::array();
  for (const finding &f : r.findings) results.push_back(result(f, root));
  const json sarif{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool", {{"driver", {{"name", tool_name}, {"rules", rule_list}}}}},
             {"originalUriBaseIds",
              {{kSrcRoot,
                {{"description", {{"text", "the source root the paths are relative to"}}}}}}},
             {"results", results}}})}};
  return sarif.dump(2) + "\n";
}

} // namespace gridlock::report
