// Rotating a value around the ring in place.
// mpirun -np 3 ./sendrecv_replace_ring
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, v;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  v = rank;
  for (int step = 0; step < size; ++step)
    MPI_Sendrecv_replace(&v, 1, MPI_INT, (rank + 1) % size, step, (rank + size - 1) % size, step,
                         MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
