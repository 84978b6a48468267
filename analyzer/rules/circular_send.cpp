#include "circular_send.hpp"

#include "describe.hpp"

#include <algorithm>

namespace gridlock::analyzer {

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
                       "matching receives (capacity unknown or sends in a loop)"
                 : "circular send: " + names +
                       " each block in a send whose receive comes only after the "
                       "receiver's own blocked operation";
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
