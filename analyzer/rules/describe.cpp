#include "describe.hpp"

#include <algorithm>

namespace gridlock::analyzer {
namespace {

const char *verb(op_kind k) {
  switch (k) {
  case op_kind::send: return "chan send";
  case op_kind::recv: return "chan receive";
  case op_kind::close: return "chan close";
  case op_kind::lock: return "mutex lock";
  case op_kind::unlock: return "mutex unlock";
  }
  return "wait";
}

std::string entry_name(const program_model &m, int e) { return "'" + m.entries[e].name + "'"; }

} // namespace

std::string resource_name(const program_model &m, const op &o) {
  if (o.kind == op_kind::lock || o.kind == op_kind::unlock) return m.mutexes[o.object];
  if (o.object >= 0) return m.channels[o.object].name;
  if (o.object == kUnknownChannel) return "(a channel gridlock-check could not follow)";
  if (o.kind == op_kind::send) return o.peer >= 0 ? m.entries[o.peer].name : "any process";
  return m.entries[o.entry].name;
}

std::string op_phrase(const program_model &m, const op &o) {
  std::string s = verb(o.kind);
  if (o.object == -1) s = o.kind == op_kind::send ? "send to" : "receive";
  s += " '" + resource_name(m, o) + "'";
  if (o.object >= 0 && o.kind == op_kind::send && !m.channels[o.object].addressed) {
    const channel &c = m.channels[o.object];
    s += c.unbounded  ? " (unbounded)"
         : c.capacity ? " (capacity " + std::to_string(*c.capacity) + ")"
                      : " (capacity unknown)";
  }
  if (o.object == -1 && o.kind == op_kind::recv && o.peer >= 0)
    s += " from '" + m.entries[o.peer].name + "'";
  return s;
}

report::location location_of(const op &o) {
  return report::location::at(o.where.file, o.where.line, o.where.column);
}

void add_resource(const program_model &m, const op &o, report::finding &f) {
  report::resource_entry r;
  r.name = resource_name(m, o);
  if (o.kind == op_kind::lock || o.kind == op_kind::unlock)
    r.kind = "mutex";
  else if (o.object >= 0) {
    const channel &c = m.channels[o.object];
    r.kind = c.addressed ? "mailbox" : "channel";
    if (!c.addressed && !c.unbounded && c.capacity) r.capacity = *c.capacity;
  } else
    r.kind = "process";
  const bool seen = std::any_of(f.resources.begin(), f.resources.end(), [&](const auto &x) {
    return x.name == r.name && x.kind == r.kind;
  });
  if (!seen) f.resources.push_back(std::move(r));
}

report::actor_entry step_entry(const program_model &m, const op &o, const std::string &note) {
  report::actor_entry a;
  a.name = m.entries[o.entry].name;
  a.op = o.kind == op_kind::send && o.object >= 0 && m.channels[o.object].addressed ? "mailbox send"
                                                                                    : verb(o.kind);
  if (o.kind == op_kind::recv && o.object >= 0 && m.channels[o.object].addressed)
    a.op = "mailbox receive";
  a.resource = resource_name(m, o);
  a.where = location_of(o);
  a.note = note;
  return a;
}

report::finding cycle_finding(const program_model &m, const deadlock &d, const char *kind) {
  report::finding f;
  f.kind = kind;
  f.certainty = d.certain && !d.hazard ? "definite" : "possible";
  for (std::size_t i = 0; i < d.cycle.size(); ++i) {
    const deadlock_step &s = d.cycle[i];
    const deadlock_step &next = d.cycle[(i + 1) % d.cycle.size()];
    const op &o = m.ops[s.op], &release = m.ops[s.release];
    const std::string note = entry_name(m, s.entry) + " blocks in " + op_phrase(m, o) + "; " +
                             entry_name(m, next.entry) + " would complete it at line " +
                             std::to_string(release.where.line) + " (" + op_phrase(m, release) +
                             "), but first blocks in " + op_phrase(m, m.ops[next.op]);
    f.actors.push_back(step_entry(m, o, note));
    f.actors.back().waits_for = {m.entries[next.entry].name};
    f.cycle.push_back(m.entries[s.entry].name);
    add_resource(m, o, f);
  }
  return f;
}

} // namespace gridlock::analyzer
