// A library's own communicator (a duplicate) keeps its traffic apart; both sides use it.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Comm lib;
  MPI_Init(&argc, &argv);
  MPI_Comm_dup(MPI_COMM_WORLD, &lib);
  MPI_Comm_rank(lib, &rank);
  if (rank == 0)
    MPI_Send(&x, 1, MPI_INT, 1, 0, lib);
  else
    MPI_Recv(&x, 1, MPI_INT, 0, 0, lib, MPI_STATUS_IGNORE);
  MPI_Comm_free(&lib);
  MPI_Finalize();
  return 0;
}
