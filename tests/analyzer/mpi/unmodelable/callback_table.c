// Communication through a table of function pointers chosen at run time.
#include <mpi.h>

typedef void (*step_fn)(int peer);

static void send_one(int peer) {
  int x = 0;
  MPI_Send(&x, 1, MPI_INT, peer, 0, MPI_COMM_WORLD);
}

static void recv_one(int peer) {
  int x;
  MPI_Recv(&x, 1, MPI_INT, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

int main(int argc, char **argv) {
  int rank;
  step_fn steps[2] = {send_one, recv_one};
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  steps[rank % 2](1 - rank);
  MPI_Recv(&rank, 1, MPI_INT, 1 - rank, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
