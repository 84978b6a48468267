#include "mpi_collective_mismatch.hpp"

#include "mpi_describe.hpp"

#include <algorithm>

namespace gridlock::analyzer {

void check_mpi_collective_mismatch(const rule_input &in, std::vector<report::finding> &out) {
  for (const mpi::issue *i : mpi::issues_of(in, mpi::issue_kind::collective_mismatch)) {
    report::finding f = mpi::issue_finding(*in.mpi, *i, "collective-mismatch");
    // The simulator reports two kinds: two ranks at different collectives (both steps are
    // collectives), and stuck cycles mixing collectives with point-to-point.
    const bool different_collectives =
        std::all_of(i->steps.begin(), i->steps.end(), [&](const mpi::step &s) {
          return in.mpi->ranks[s.rank].events[s.event].kind == mpi::ev_kind::collective;
        });
    if (different_collectives) {
      f.summary = "collective mismatch: " + f.actors[0].name + " calls " + f.actors[0].op +
                  " where " + f.actors[1].name + " calls " + f.actors[1].op +
                  " (every rank must call the same collectives in the same order)";
      f.actors[1].note = f.actors[1].name + " calls " + f.actors[1].op + " there instead, at " +
                         mpi::short_location(f.actors[1].where);
    } else {
      for (const auto &a : f.actors) f.cycle.push_back(a.name);
      f.summary = "collective mismatch: " + mpi::cycle_phrase(*i) +
                  " wait for each other across a collective and point-to-point calls" +
                  (i->unbuffered ? " (when the sends are not buffered)" : "") + "; " +
                  f.actors.front().note;
    }
    f.summary += mpi::possible_suffix(*i);
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
