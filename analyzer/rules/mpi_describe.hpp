// mpi_describe: turning the MPI simulator's issues into report findings, shared by the
// gridlock-mpi-* rules. Every step names its rank: "rank 0 blocks in MPI_Recv from rank 1 at
// ring.c:23", the others "rank 1 first blocks in MPI_Recv from rank 0 at ring.c:31".
#pragma once

#include "rule.hpp"

#include <string>

namespace gridlock::analyzer::mpi {

// "MPI_Recv from rank 1 (tag 7)"
std::string event_phrase(const program &p, int rank, int event);
// "ring.c:23"
std::string short_location(const source_loc &l);
// A finding with one actor entry per step (rank, call, communicator, location, note); certainty
// "definite" unless the issue is uncertain. The caller writes the summary.
report::finding issue_finding(const program &p, const issue &i, const char *kind);
// The issues of one kind, for a rule's loop.
std::vector<const issue *> issues_of(const rule_input &in, issue_kind kind);
// "ranks 0 -> 1 -> 0": the cycle in wait order.
std::string cycle_phrase(const issue &i);
// " (possible: <why>)" for an uncertain issue, "" otherwise.
std::string possible_suffix(const issue &i);

} // namespace gridlock::analyzer::mpi
