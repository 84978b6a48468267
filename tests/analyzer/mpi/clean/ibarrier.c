// A non-blocking barrier overlapped with a point-to-point exchange.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Request b;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Ibarrier(MPI_COMM_WORLD, &b);
  if (rank == 0)
    MPI_Ssend(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
  else
    MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Wait(&b, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
