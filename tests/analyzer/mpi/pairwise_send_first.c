// A pairwise exchange on four ranks where every rank sends first.
// mpirun -np 4 ./rsend_exchange
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, a = 0, b = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int partner = rank % 2 == 0 ? rank + 1 : rank - 1;
  MPI_Send(&a, 1, MPI_INT, partner, 1, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
  MPI_Recv(&b, 1, MPI_INT, partner, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
