#include "mpi_deadlock.hpp"

#include "mpi_describe.hpp"

namespace gridlock::analyzer {

void check_mpi_deadlock(const rule_input &in, std::vector<report::finding> &out) {
  for (const mpi::issue *i : mpi::issues_of(in, mpi::issue_kind::deadlock)) {
    report::finding f = mpi::issue_finding(*in.mpi, *i, "deadlock");
    f.summary = "deadlock regardless of buffering: " + mpi::cycle_phrase(*i) + " each wait for " +
                "the next; " + f.actors.front().note + mpi::possible_suffix(*i);
    for (const auto &a : f.actors) f.cycle.push_back(a.name);
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
