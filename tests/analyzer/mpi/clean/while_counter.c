// Counted while loops on both sides, with the counter updated in the body.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0, i = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  while (i < 5) {
    if (rank == 0)
      MPI_Send(&i, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
    else
      MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    i += 1;
  }
  MPI_Finalize();
  return 0;
}
