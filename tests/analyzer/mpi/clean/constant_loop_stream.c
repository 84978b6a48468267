// Ten messages sent and ten received, matched across the two loops.
#include <mpi.h>

#define N 10

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (int i = 0; i < N; i++) {
    if (rank == 0)
      MPI_Ssend(&i, 1, MPI_INT, 1, i, MPI_COMM_WORLD);
    else
      MPI_Recv(&x, 1, MPI_INT, 0, i, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  MPI_Finalize();
  return 0;
}
