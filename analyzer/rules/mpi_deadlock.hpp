// gridlock-mpi-deadlock (--api mpi): a cycle of ranks, each blocked in a receive, an MPI_Ssend, a
// probe or a wait, before the call that would release the next one. It deadlocks whatever the
// MPI library buffers, for the rank count checked.
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_mpi_deadlock(const rule_input &in, std::vector<report::finding> &out);
}
