// C++: reduce to the root, then broadcast the result.
// mpirun -np 4 ./reduce_bcast
#include <mpi.h>

#include <numeric>
#include <vector>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::vector<int> local(100);
  std::iota(local.begin(), local.end(), rank);
  long mine = std::accumulate(local.begin(), local.end(), 0L), total = 0;
  MPI_Reduce(&mine, &total, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Bcast(&total, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  MPI_Finalize();
}
