// Both ranks send first: completes only if MPI buffers the messages.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0, y = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int other = 1 - rank;
  MPI_Send(&x, 1, MPI_INT, other, 0, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
  MPI_Recv(&y, 1, MPI_INT, other, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
