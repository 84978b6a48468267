// MPI_Sendrecv never deadlocks with itself, but here rank 1 expects its message from itself
// (a copy-paste slip in `from`), and it never sends to itself.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, a = 0, b = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int to = 1 - rank;
  int from = rank == 0 ? 1 : 1;
  MPI_Sendrecv(&a, 1, MPI_INT, to, 0, &b, 1, MPI_INT, from, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-unmatched definite
  MPI_Finalize();
  return 0;
}
