// rank_count: how many ranks to check an MPI program with (--api mpi): --np N when given, else
// the count of the first launch line in the source ("mpirun -np 4", "mpiexec -n 4",
// "srun -n 4", e.g. in a comment), else 2.
#pragma once

#include <optional>
#include <string_view>

namespace gridlock::analyzer::mpi {

constexpr int kDefaultRanks = 2;
constexpr int kMaxRanks = 1024;

// The rank count of the first launch line in `source`, if any (counts above kMaxRanks are
// ignored).
std::optional<int> ranks_in_source(std::string_view source);

} // namespace gridlock::analyzer::mpi
