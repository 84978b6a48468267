// A rank sending to itself with a blocking send before it receives.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 42, y;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    MPI_Send(&x, 1, MPI_INT, rank, 9, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
    MPI_Recv(&y, 1, MPI_INT, rank, 9, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  MPI_Finalize();
  return 0;
}
