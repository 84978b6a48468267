// Each rank passes a value to rank + 1, but the last rank has no right neighbour.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank > 0)
    MPI_Recv(&x, 1, MPI_INT, rank - 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Send(&x, 1, MPI_INT, rank + 1, 0, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-unmatched definite
  MPI_Finalize();
  return 0;
}
