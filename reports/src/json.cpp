#include <gridlock/report/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace gridlock::report {

using nlohmann::json;

void to_json(json &j, const location &l) {
  j = json{{"file", l.file}, {"line", l.line}};
  if (l.column) j["column"] = l.column;
  if (!l.function.empty()) j["function"] = l.function;
  if (!l.context.empty()) j["context"] = json{{"first_line", l.first_line}, {"lines", l.context}};
}
void from_json(const json &j, location &l) {
  j.at("file").get_to(l.file);
  j.at("line").get_to(l.line);
  l.column = j.value("column", 0u);
  l.function = j.value("function", std::string{});
  if (j.contains("context")) {
    const json &c = j.at("context");
    c.at("first_line").get_to(l.first_line);
    c.at("lines").get_to(l.context);
  }
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
  if (f.id) j["id"] = f.id;
  if (f.after) j["after"] = *f.after, j["after_why"] = f.after_why;
  if (!f.action.empty()) j["action"] = f.action;
  if (!f.rule.empty()) j["rule"] = f.rule;
  if (f.bypass_count) j["bypass_count"] = *f.bypass_count;
  if (!f.served_instead.empty()) j["served_instead"] = f.served_instead;
  if (f.closed_us) j["closed_us"] = *f.closed_us;
  if (f.detected_us) j["detected_us"] = *f.detected_us;
}
void from_json(const json &j, finding &f) {
  j.at("kind").get_to(f.kind);
  j.at("certainty").get_to(f.certainty);
  j.at("summary").get_to(f.summary);
  f.actors = j.value("actors", std::vector<actor_entry>{});
  f.resources = j.value("resources", std::vector<resource_entry>{});
  f.cycle = j.value("cycle", std::vector<std::string>{});
  f.id = j.value("id", std::int64_t{0});
  if (j.contains("after")) f.after = j.at("after").get<std::int64_t>();
  f.after_why = j.value("after_why", std::string{});
  f.action = j.value("action", std::string{});
  f.rule = j.value("rule", std::string{});
  if (j.contains("bypass_count")) f.bypass_count = j.at("bypass_count").get<std::int64_t>();
  f.served_instead = j.value("served_instead", std::vector<std::string>{});
  if (j.contains("closed_us")) f.closed_us = j.at("closed_us").get<std::int64_t>();
  if (j.contains("detected_us")) f.detected_us = j.at("detected_us").get<std::int64_t>();
}

// A vector clock as {"<actor_id>": count, ...}.
void to_json(json &j, const trace_event &e) {
  json vc = json::object();
  for (const auto &[actor, n] : e.vc) vc[std::to_string(actor)] = n;
  j = json{{"actor_id", e.actor_id}, {"actor", e.actor},     {"seq", e.seq},       {"t_us", e.t_us},
           {"event", e.event},       {"lamport", e.lamport}, {"vc", std::move(vc)}};
  if (!e.resource.empty()) j["resource"] = e.resource;
  if (!e.op.empty()) j["op"] = e.op;
  if (e.msg) j["msg"] = e.msg;
  if (e.peer_id) j["peer_id"] = e.peer_id, j["peer"] = e.peer;
  if (!e.where.file.empty()) j["location"] = e.where;
}
void from_json(const json &j, trace_event &e) {
  j.at("actor_id").get_to(e.actor_id);
  e.actor = j.value("actor", std::string{});
  e.seq = j.value("seq", std::uint64_t{0});
  j.at("t_us").get_to(e.t_us);
  j.at("event").get_to(e.event);
  e.lamport = j.value("lamport", std::uint64_t{0});
  if (j.contains("vc"))
    for (const auto &[actor, n] : j.at("vc").items())
      e.vc.emplace_back(std::stoull(actor), n.get<std::uint64_t>());
  std::sort(e.vc.begin(), e.vc.end());
  e.resource = j.value("resource", std::string{});
  e.op = j.value("op", std::string{});
  e.msg = j.value("msg", std::uint64_t{0});
  e.peer_id = j.value("peer_id", std::uint64_t{0});
  e.peer = j.value("peer", std::string{});
  if (j.contains("location")) j.at("location").get_to(e.where);
}

std::string to_json(const report &r) {
  json j{{"tool", r.tool},     {"schema_version", r.schema_version},
         {"source", r.source}, {"program", r.program},
         {"pid", r.pid},       {"findings", r.findings}};
  if (!r.trace.empty()) j["trace"] = r.trace;
  // Program-supplied names may be invalid UTF-8: replaced (U+FFFD), never a throw.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

report from_json(const std::string &text) {
  try {
    const json j = json::parse(text);
    report r;
    j.at("tool").get_to(r.tool);
    if (r.tool != "gridlock")
      throw std::runtime_error("not a gridlock report (tool is '" + r.tool + "')");
    j.at("schema_version").get_to(r.schema_version);
    if (r.schema_version != 1)
      throw std::runtime_error("unsupported schema_version " + std::to_string(r.schema_version) +
                               " (this gridlock reads version 1)");
    r.source = j.value("source", std::string("runtime"));
    r.program = j.value("program", std::string{});
    r.pid = j.value("pid", std::int64_t{0});
    j.at("findings").get_to(r.findings);
    if (j.contains("trace")) j.at("trace").get_to(r.trace);
    return r;
  } catch (const std::logic_error &) { // stoull: a vector-clock key that is not an actor id
    throw std::runtime_error("malformed gridlock report: a vector clock names a bad actor id");
  } catch (const json::exception &e) {
    throw std::runtime_error(std::string("malformed gridlock report: ") + e.what());
  }
}

} // namespace gridlock::report
