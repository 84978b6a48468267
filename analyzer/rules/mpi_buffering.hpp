// gridlock-mpi-buffering-hazard (--api mpi): a cycle of ranks that completes only if standard-mode
// sends (MPI_Send, MPI_Bsend, MPI_Rsend) return before their receive starts: every rank sends
// first, rings, sends to self. The MPI standard does not promise that buffering, and libraries
// switch to rendezvous for large messages, so it is reported as an error.
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_mpi_buffering(const rule_input &in, std::vector<report::finding> &out);
}
