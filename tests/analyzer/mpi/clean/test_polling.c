// Rank 1 polls its receive with MPI_Test while rank 0 sends.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0, done = 0;
  MPI_Request r;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 1) {
    MPI_Irecv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, &r);
    while (!done)
      MPI_Test(&r, &done, MPI_STATUS_IGNORE);
  } else {
    MPI_Ssend(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
