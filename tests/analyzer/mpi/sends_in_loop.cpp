// C++: both ranks send three blocks before receiving any: fine with small messages and an
// eager protocol, a deadlock once the blocks are large.
#include <mpi.h>

#include <array>
#include <vector>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const int other = rank == 0 ? 1 : 0;
  std::array<std::vector<float>, 3> blocks;
  for (auto &b : blocks) b.assign(1 << 20, 1.0f);
  for (int i = 0; i < 3; ++i)
    MPI_Send(blocks[i].data(), 1 << 20, MPI_FLOAT, other, i, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
  for (int i = 0; i < 3; ++i)
    MPI_Recv(blocks[i].data(), 1 << 20, MPI_FLOAT, other, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
}
