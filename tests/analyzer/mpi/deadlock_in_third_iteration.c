// The loop runs a known number of times; only its third iteration deadlocks.
#include <mpi.h>

#define STEPS 3

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (int i = 0; i < STEPS; ++i) {
    if (rank == 0) {
      MPI_Recv(&x, 1, MPI_INT, 1, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
      MPI_Send(&x, 1, MPI_INT, 1, i, MPI_COMM_WORLD);
    } else if (i < 2) {
      MPI_Send(&x, 1, MPI_INT, 0, i, MPI_COMM_WORLD);
      MPI_Recv(&x, 1, MPI_INT, 0, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else {
      MPI_Recv(&x, 1, MPI_INT, 0, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-NOTE
      MPI_Send(&x, 1, MPI_INT, 0, i, MPI_COMM_WORLD);
    }
  }
  MPI_Finalize();
  return 0;
}
