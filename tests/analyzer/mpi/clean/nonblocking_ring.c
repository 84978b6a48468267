// A ring with non-blocking calls: every rank posts both, then waits.
// mpirun -np 5 ./nonblocking_ring
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, out, in;
  MPI_Request reqs[2];
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  out = rank;
  MPI_Isend(&out, 1, MPI_INT, (rank + 1) % size, 0, MPI_COMM_WORLD, reqs);
  MPI_Irecv(&in, 1, MPI_INT, (rank + size - 1) % size, 0, MPI_COMM_WORLD, reqs + 1);
  MPI_Waitall(2, reqs, MPI_STATUSES_IGNORE);
  MPI_Finalize();
  return 0;
}
