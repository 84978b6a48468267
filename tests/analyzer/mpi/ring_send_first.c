// Every rank sends to its right neighbour before receiving from its left: a ring of standard
// sends that completes only while MPI buffers the messages.
// mpirun -np 4 ./ring_send_first
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, out, in;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  out = rank;
  MPI_Send(&out, 1, MPI_INT, (rank + 1) % size, 0, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
  MPI_Recv(&in, 1, MPI_INT, (rank + size - 1) % size, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
