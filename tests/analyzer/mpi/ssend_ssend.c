// Both ranks MPI_Ssend first: a synchronous send waits for its receive, so this never completes.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, x = 1, y;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int peer = (rank + 1) % size;
  MPI_Ssend(&x, 1, MPI_INT, peer, 7, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Recv(&y, 1, MPI_INT, peer, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
