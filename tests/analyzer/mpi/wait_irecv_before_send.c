// A non-blocking receive does not help when each rank waits for it before sending.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 3, y;
  MPI_Request req;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int other = 1 - rank;
  MPI_Irecv(&y, 1, MPI_INT, other, 0, MPI_COMM_WORLD, &req);
  MPI_Wait(&req, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Send(&x, 1, MPI_INT, other, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
