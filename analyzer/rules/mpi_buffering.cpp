#include "mpi_buffering.hpp"

#include "mpi_describe.hpp"

namespace gridlock::analyzer {

void check_mpi_buffering(const rule_input &in, std::vector<report::finding> &out) {
  for (const mpi::issue *i : mpi::issues_of(in, mpi::issue_kind::buffering)) {
    report::finding f = mpi::issue_finding(*in.mpi, *i, "buffering-hazard");
    f.summary = "buffering hazard: " + mpi::cycle_phrase(*i) +
                " deadlock unless the MPI library buffers these sends (the standard does not "
                "promise it; large messages use rendezvous); " +
                f.actors.front().note + mpi::possible_suffix(*i);
    for (const auto &a : f.actors) f.cycle.push_back(a.name);
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
