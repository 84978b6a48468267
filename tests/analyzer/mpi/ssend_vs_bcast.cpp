// C++: rank 0's synchronous send waits for a receive rank 1 posts only after a broadcast that
// waits for rank 0.
#include <mpi.h>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  double params[4] = {0, 0, 0, 0};
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    MPI_Ssend(params, 4, MPI_DOUBLE, 1, 0, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-collective-mismatch definite
    MPI_Bcast(params, 4, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  } else {
    MPI_Bcast(params, 4, MPI_DOUBLE, 0, MPI_COMM_WORLD); // CHECK-NOTE
    MPI_Recv(params, 4, MPI_DOUBLE, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  MPI_Finalize();
}
