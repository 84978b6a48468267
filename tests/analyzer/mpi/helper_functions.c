// Partners come from a helper; the exchange helper receives first on every rank.
// mpirun -np 4 ./helper_functions
#include <mpi.h>

static int partner_of(int rank) { return rank ^ 1; }

static void exchange(int peer, int *value) {
  int got;
  MPI_Recv(&got, 1, MPI_INT, peer, 5, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Send(value, 1, MPI_INT, peer, 5, MPI_COMM_WORLD);
  *value = got;
}

int main(int argc, char **argv) {
  int rank, v;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  v = rank;
  exchange(partner_of(rank), &v);
  MPI_Finalize();
  return 0;
}
