// The rule registry: one line per rule.
#include "circular_send.hpp"
#include "lock_across_send.hpp"
#include "mpi_buffering.hpp"
#include "mpi_collective_mismatch.hpp"
#include "mpi_deadlock.hpp"
#include "mpi_unmatched.hpp"
#include "recv_recv.hpp"
#include "rule.hpp"
#include "unmatched.hpp"

namespace gridlock::analyzer {

const std::vector<rule> &registered_rules() {
  static const std::vector<rule> rules{
      {"gridlock-circular-send", "a cycle of actors blocked in sends", &check_circular_send},
      {"gridlock-recv-recv", "a cycle of actors blocked in receives", &check_recv_recv},
      {"gridlock-unmatched", "a blocking operation nothing can ever match", &check_unmatched},
      {"gridlock-lock-across-send", "a mutex held across a blocking operation its peer needs",
       &check_lock_across_send},
      {"gridlock-mpi-deadlock", "MPI ranks in a cycle of blocking calls, whatever the buffering",
       &check_mpi_deadlock},
      {"gridlock-mpi-buffering-hazard",
       "MPI ranks that deadlock unless standard sends are buffered", &check_mpi_buffering},
      {"gridlock-mpi-unmatched", "an MPI call no rank ever matches", &check_mpi_unmatched},
      {"gridlock-mpi-collective-mismatch", "MPI ranks that disagree about collectives",
       &check_mpi_collective_mismatch},
  };
  return rules;
}

void run_rules(const rule_input &in, std::vector<report::finding> &out) {
  for (const rule &r : registered_rules()) {
    const std::size_t first = out.size();
    r.check(in, out);
    for (std::size_t i = first; i < out.size(); ++i) out[i].rule = r.id;
  }
}

std::map<std::string, std::string> rule_descriptions() {
  std::map<std::string, std::string> out;
  for (const rule &r : registered_rules()) out.emplace(r.id, r.description);
  return out;
}

} // namespace gridlock::analyzer
