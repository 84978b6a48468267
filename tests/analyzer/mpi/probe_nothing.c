// Rank 0 probes for a message from rank 1, which sends nothing.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank;
  MPI_Status st;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    MPI_Probe(1, MPI_ANY_TAG, MPI_COMM_WORLD, &st); // CHECK-WARN: gridlock-mpi-unmatched definite
  MPI_Finalize();
  return 0;
}
