// gridlock-mpi-unmatched (--api mpi): a blocking MPI call that no rank ever matches: a receive
// (or wait, probe, MPI_Ssend, collective) whose partners finish without the matching call — for
// example because the matching send sits in a branch never taken for that rank — or a message
// sent to a rank that finishes without receiving it, or to a rank that does not exist.
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_mpi_unmatched(const rule_input &in, std::vector<report::finding> &out);
}
