// Rank 1 waits for tag 2 but rank 0 sends tag 1 and then waits for rank 1's reply: rank 1's
// receive is the call nothing matches (rank 0 is stuck only because of it).
#include <mpi.h>

enum { DATA = 1, OTHER = 2 };

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    MPI_Send(&x, 1, MPI_INT, 1, DATA, MPI_COMM_WORLD);
    MPI_Recv(&x, 1, MPI_INT, 1, DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(&x, 1, MPI_INT, 0, OTHER, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-unmatched definite
    MPI_Send(&x, 1, MPI_INT, 0, DATA, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
