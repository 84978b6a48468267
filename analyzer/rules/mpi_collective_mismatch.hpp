// gridlock-mpi-collective-mismatch (--api mpi): ranks that disagree about collectives: one rank
// blocked in a collective (MPI_Barrier, MPI_Bcast, ...) while another waits for it in a
// point-to-point call, or the reverse; or ranks calling different collectives at the same point
// of a communicator's collective sequence.
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_mpi_collective_mismatch(const rule_input &in, std::vector<report::finding> &out);
}
