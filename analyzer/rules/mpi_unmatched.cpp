#include "mpi_unmatched.hpp"

#include "mpi_describe.hpp"

namespace gridlock::analyzer {
namespace {

// "rank 1 <one>" / "ranks 1, 2 and 3 <many>"
std::string ranks_doing(const std::vector<int> &ranks, const char *one, const char *many) {
  std::string s = ranks.size() == 1 ? "rank" : "ranks";
  for (std::size_t k = 0; k < ranks.size(); ++k)
    s += (k == 0 ? " " : k + 1 == ranks.size() ? " and " : ", ") + std::to_string(ranks[k]);
  return s + " " + (ranks.size() == 1 ? one : many);
}

std::string ranks_phrase(const std::vector<int> &ranks) {
  if (ranks.empty()) return "no rank ever makes the matching call";
  return ranks_doing(ranks, "finishes", "finish") + " without the matching call";
}

// "rank 1 blocks" / "ranks 1 and 2 block"
std::string ranks_of(const mpi::issue &i) {
  std::vector<int> ranks;
  for (const mpi::step &s : i.steps) ranks.push_back(s.rank);
  return ranks_doing(ranks, "blocks", "block");
}

} // namespace

void check_mpi_unmatched(const rule_input &in, std::vector<report::finding> &out) {
  for (const mpi::issue *i : mpi::issues_of(in, mpi::issue_kind::unmatched)) {
    report::finding f = mpi::issue_finding(*in.mpi, *i, "unmatched");
    const mpi::step &s = i->steps.front();
    const std::string what = mpi::event_phrase(*in.mpi, s.rank, s.event) + " at " +
                             mpi::short_location(in.mpi->ranks[s.rank].events[s.event].where);
    f.summary = i->never_received
                    ? "rank " + std::to_string(s.rank) + "'s " + what + " is never received: " +
                          (s.waits_for.empty() ? "the destination is not a rank of the communicator"
                                               : ranks_phrase(s.waits_for))
                    : ranks_of(*i) + " forever in " + what + ": " + ranks_phrase(s.waits_for);
    f.summary += mpi::possible_suffix(*i);
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
