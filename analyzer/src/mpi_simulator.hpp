// mpi_simulator: runs the ranks' traces against each other with MPI's matching rules and reports
// where they get stuck.
//
// Matching follows the standard: a receive matches a send on the same communicator whose source,
// destination and tag fit (MPI_ANY_SOURCE / MPI_ANY_TAG are wildcards; an unknown value matches
// anything), earliest posted first (messages from one source do not overtake each other), and a
// rank's receives are served in the order it posted them. Collectives complete when every rank
// of their communicator has reached its k-th collective on it.
//
// A program is simulated twice: with every standard-mode send buffered (eager: it completes at
// once) and with none buffered (rendezvous: it completes when matched). Ranks stuck in the eager
// run deadlock whatever the library does; ranks stuck only in the rendezvous run deadlock when the
// library does not buffer those messages (a buffering hazard: the standard promises no buffering).
// Cost: O(events x posted messages) per run. Deterministic; no Clang types.
#pragma once

#include "mpi_model.hpp"

#include <string>
#include <vector>

namespace gridlock::analyzer::mpi {

enum class issue_kind {
  deadlock,            // a cycle of ranks stuck whatever the buffering
  buffering,           // a cycle of ranks stuck when standard sends are not buffered
  unmatched,           // a rank stuck on ranks that have finished, or a message never received
  collective_mismatch, // a cycle mixing a collective and point-to-point, or different collectives
};

// One rank's part in an issue: the event it is stuck in and the ranks that could release it.
struct step {
  int rank = -1;
  int event = -1;
  std::vector<int> waits_for;
};

struct issue {
  issue_kind kind = issue_kind::deadlock;
  std::vector<step> steps; // cycles: in wait order (steps[i] waits for steps[i+1])
  // unmatched: the send is never received (the rank finished) rather than a rank being stuck
  bool never_received = false;
  // found only when standard-mode sends are not buffered (the rendezvous run)
  bool unbuffered = false;
  // "" when every step is certain; else why the verdict is only "possible"
  std::string uncertain;
};

// Every issue of the program, each once: eager-run issues first, then the rendezvous run's
// buffering hazards that are not the same stuck states.
std::vector<issue> find_issues(const program &p);

} // namespace gridlock::analyzer::mpi
