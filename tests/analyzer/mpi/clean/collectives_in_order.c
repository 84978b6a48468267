// Every rank calls the same collectives in the same order.
// mpirun -np 3 ./collectives_in_order
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, n = 0, sum = 0, total = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) n = 100;
  MPI_Bcast(&n, 1, MPI_INT, 0, MPI_COMM_WORLD);
  sum = rank * n;
  MPI_Reduce(&sum, &total, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Allreduce(&sum, &total, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
