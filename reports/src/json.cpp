#include <gridlock/report/report.hpp>

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace gridlock::report {

using nlohmann::json;

void to_json(json &j, const location &l) {
  j = json{{"file", l.file}, {"line", l.line}};
  if (l.column) j["column"] = l.column;
  if (!l.function.empty()) j["function"] = l.function;
}
void from_json(const json &j, location &l) {
  j.at("file").get_to(l.file);
  j.at("line").get_to(l.line);
  l.column = j.value("column", 0u);
  l.function = j.value("function", std::string{});
}

void to_json(json &j, const actor_entry &a) {
  j = json{{"name", a.name}, {"op", a.op}, {"resource", a.resource}, {"location", a.where}};
  if (a.waited_ms >= 0) j["waited_ms"] = a.waited_ms;
  if (!a.waits_for.empty()) j["waits_for"] = a.waits_for;
  if (!a.mode.empty()) j["mode"] = a.mode;
  if (!a.note.empty()) j["note"] = a.note;
}
void from_json(const json &j, actor_entry &a) {
  j.at("name").get_to(a.name);
  a.op = j.value("op", std::string{});
  a.resource = j.value("resource", std::string{});
  if (j.contains("location")) j.at("location").get_to(a.where);
  a.waited_ms = j.value("waited_ms", std::int64_t{-1});
  a.waits_for = j.value("waits_for", std::vector<std::string>{});
  a.mode = j.value("mode", std::string{});
  a.note = j.value("note", std::string{});
}

void to_json(json &j, const resource_entry &r) {
  j = json{{"name", r.name}, {"kind", r.kind}};
  if (r.capacity) j["capacity"] = *r.capacity;
}
void from_json(const json &j, resource_entry &r) {
  j.at("name").get_to(r.name);
  j.at("kind").get_to(r.kind);
  if (j.contains("capacity") && !j.at("capacity").is_null())
    r.capacity = j.at("capacity").get<std::int64_t>();
}

void to_json(json &j, const finding &f) {
  j = json{{"kind", f.kind},     {"certainty", f.certainty}, {"summary", f.summary},
           {"actors", f.actors}, {"resources", f.resources}, {"cycle", f.cycle}};
  if (!f.action.empty()) j["action"] = f.action;
  if (!f.rule.empty()) j["rule"] = f.rule;
  if (f.bypass_count) j["bypass_count"] = *f.bypass_count;
  if (!f.served_instead.empty()) j["served_instead"] = f.served_instead;
}
void from_json(const json &j, finding &f) {
  j.at("kind").get_to(f.kind);
  j.at("certainty").get_to(f.certainty);
  j.at("summary").get_to(f.summary);
  f.actors = j.value("actors", std::vector<actor_entry>{});
  f.resources = j.value("resources", std::vector<resource_entry>{});
  f.cycle = j.value("cycle", std::vector<std::string>{});
  f.action = j.value("action", std::string{});
  f.rule = j.value("rule", std::string{});
  if (j.contains("bypass_count")) f.bypass_count = j.at("bypass_count").get<std::int64_t>();
  f.served_instead = j.value("served_instead", std::vector<std::string>{});
}

std::string to_json(const report &r) {
  const json j{{"tool", r.tool},     {"schema_version", r.schema_version},
               {"source", r.source}, {"program", r.program},
               {"pid", r.pid},       {"findings", r.findings}};
  return j.dump(2) + "\n";
}

report from_json(const std::string &text) {
  try {
    const json j = json::parse(text);
    report r;
    j.at("tool").get_to(r.tool);
    if (r.tool != "gridlock")
      throw std::runtime_error("not a gridlock report (tool is '" + r.tool + "')");
    j.at("schema_version").get_to(r.schema_version);
    r.source = j.value("source", std::string("runtime"));
    r.program = j.value("program", std::string{});
    r.pid = j.value("pid", std::int64_t{0});
    j.at("findings").get_to(r.findings);
    return r;
  } catch (const json::exception &e) {
    throw std::runtime_error(std::string("malformed gridlock report: ") + e.what());
  }
}

} // namespace gridlock::report
