// A ring where even ranks send first and odd ranks receive first: safe without buffering.
// mpirun -np 4 ./even_odd_ring
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, out, in;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int right = (rank + 1) % size, left = (rank + size - 1) % size;
  out = rank;
  if (rank % 2 == 0) {
    MPI_Ssend(&out, 1, MPI_INT, right, 0, MPI_COMM_WORLD);
    MPI_Recv(&in, 1, MPI_INT, left, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(&in, 1, MPI_INT, left, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Ssend(&out, 1, MPI_INT, right, 0, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
