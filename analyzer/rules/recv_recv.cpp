#include "recv_recv.hpp"

#include "describe.hpp"

#include <algorithm>

namespace gridlock::analyzer {

void check_recv_recv(const rule_input &in, std::vector<report::finding> &out) {
  for (const deadlock &d : in.deadlocks) {
    const bool all_recv = std::all_of(d.cycle.begin(), d.cycle.end(), [&](const deadlock_step &s) {
      return in.model.ops[s.op].kind == op_kind::recv;
    });
    if (!all_recv || d.hazard) continue; // receives never depend on buffering
    report::finding f = cycle_finding(in.model, d, "recv-recv");
    std::string names;
    for (const auto &n : f.cycle) names += (names.empty() ? "" : ", ") + ("'" + n + "'");
    f.summary = "receive cycle: " + names +
                " each wait to receive first; every send comes after a receive "
                "(a deadlock whatever the buffering)";
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
