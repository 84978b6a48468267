// Eight ranks exchange with rank ^ 1; the lower rank of each pair sends first.
// mpirun -np 8 ./xor_pairs
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, a, b;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const int peer = rank ^ 1;
  a = rank;
  if (rank < peer) {
    MPI_Ssend(&a, 1, MPI_INT, peer, 0, MPI_COMM_WORLD);
    MPI_Recv(&b, 1, MPI_INT, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(&b, 1, MPI_INT, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Ssend(&a, 1, MPI_INT, peer, 0, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
