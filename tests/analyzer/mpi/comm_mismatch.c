// Rank 0 sends on a duplicate of MPI_COMM_WORLD, rank 1 receives on MPI_COMM_WORLD itself:
// messages never cross communicators, so rank 1's receive never matches.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Comm work;
  MPI_Init(&argc, &argv);
  MPI_Comm_dup(MPI_COMM_WORLD, &work);
  MPI_Comm_rank(work, &rank);
  if (rank == 0) {
    MPI_Send(&x, 1, MPI_INT, 1, 0, work);
    MPI_Recv(&x, 1, MPI_INT, 1, 0, work, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-unmatched definite
    MPI_Send(&x, 1, MPI_INT, 0, 0, work);
  }
  MPI_Comm_free(&work);
  MPI_Finalize();
  return 0;
}
