// A ring where every rank waits for its left neighbour before passing the token on.
// mpirun -np 4 ./ring_recv_first
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, token = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int left = (rank - 1 + size) % size, right = (rank + 1) % size;
  MPI_Recv(&token, 1, MPI_INT, left, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
  token++;
  MPI_Send(&token, 1, MPI_INT, right, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
