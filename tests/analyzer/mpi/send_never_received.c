// Rank 0 sends a message rank 1 never receives.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 1;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    MPI_Send(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-unmatched definite
  MPI_Finalize();
  return 0;
}
