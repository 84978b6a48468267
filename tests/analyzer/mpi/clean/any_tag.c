// The receiver accepts any tag.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Status st;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    MPI_Send(&x, 1, MPI_INT, 1, 42, MPI_COMM_WORLD);
  else
    MPI_Recv(&x, 1, MPI_INT, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
  MPI_Finalize();
  return 0;
}
