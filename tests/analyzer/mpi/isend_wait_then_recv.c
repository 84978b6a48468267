// Waiting for an MPI_Isend right away is a blocking send: both ranks do it before receiving.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 5, y;
  MPI_Request r;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Isend(&x, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, &r);
  MPI_Wait(&r, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
  MPI_Recv(&y, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
