// Every rank waits for a message from anyone before it sends: all three are stuck. Which sender
// a wildcard receive would match does not matter: only the left neighbour ever sends to it.
// mpirun -np 3 ./any_source_everyone
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, x;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Send(&rank, 1, MPI_INT, (rank + 1) % size, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
