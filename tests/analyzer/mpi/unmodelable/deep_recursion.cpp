// Recursion deeper than gridlock-check follows, and persistent requests it does not model.
#include <mpi.h>

static void relay(int depth, int rank) {
  int x = depth;
  if (depth == 0) {
    MPI_Recv(&x, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return;
  }
  relay(depth - 1, rank);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, x = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Request r;
  MPI_Send_init(&x, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, &r);
  MPI_Start(&r);
  relay(40, rank);
  MPI_Wait(&r, MPI_STATUS_IGNORE);
  MPI_Finalize();
}
