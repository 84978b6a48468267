// A switch on the rank picks each rank's part.
// mpirun -np 3 ./switch_on_rank
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  switch (rank) {
  case 0:
    MPI_Send(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
    MPI_Send(&x, 1, MPI_INT, 2, 0, MPI_COMM_WORLD);
    break;
  case 1:
  case 2:
    MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    break;
  default:
    break;
  }
  MPI_Finalize();
  return 0;
}
