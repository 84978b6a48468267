#include "circular_send.hpp"

#include "describe.hpp"

#include <algorithm>

namespace gridlock::analyzer {
namespace {

// Why a buffering hazard is only possible: the first step whose send (or a send of the same actor
// on the same channel before it) has a capacity or a count unknown at compile time.
std::string hazard_reason(const program_model &m, const deadlock &d) {
  for (const deadlock_step &s : d.cycle) {
    const op &o = m.ops[s.op];
    if (o.kind != op_kind::send || o.object < 0) continue;
    const channel &c = m.channels[o.object];
    if (!c.unbounded && !c.capacity)
      return "the capacity of '" + c.name + "' is not a compile-time constant";
    std::vector<int> sends{s.op};
    for (int a : earlier_sends(m, o)) sends.push_back(a);
    for (int x : sends)
      if (m.ops[x].in_loop && !m.ops[x].repeat)
        return "'" + m.entries[o.entry].name + "' sends on '" + c.name + "' in a loop (line " +
               std::to_string(m.ops[x].where.line) + ") whose count is not a compile-time constant";
  }
  return "the channels' capacities or the number of sends are not compile-time constants";
}

} // namespace

void check_circular_send(const rule_input &in, std::vector<report::finding> &out) {
  for (const deadlock &d : in.deadlocks) {
    const bool any_send = std::any_of(d.cycle.begin(), d.cycle.end(), [&](const deadlock_step &s) {
      return in.model.ops[s.op].kind == op_kind::send;
    });
    if (!any_send) continue;
    report::finding f = cycle_finding(in.model, d, "circular-send");
    std::string names;
    for (const auto &n : f.cycle) names += (names.empty() ? "" : ", ") + ("'" + n + "'");
    f.summary =
        d.hazard ? "buffering hazard: " + names +
                       " deadlock if the channels buffer fewer messages than are sent before the "
                       "matching receives (" +
                       hazard_reason(in.model, d) + ")"
                 : "circular send: " + names +
                       " each block in a send whose receive comes only after the "
                       "receiver's own blocked operation";
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
