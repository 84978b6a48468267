// Rank 0 posts a receive per worker and handles them as they complete.
// mpirun -np 4 ./waitany_workers
#include <mpi.h>

#define MAX 16

int main(int argc, char **argv) {
  int rank, size, which, vals[MAX];
  MPI_Request reqs[MAX];
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (rank == 0) {
    for (int w = 1; w < size; ++w)
      MPI_Irecv(&vals[w], 1, MPI_INT, w, 0, MPI_COMM_WORLD, &reqs[w - 1]);
    for (int k = 1; k < size; ++k)
      MPI_Waitany(size - 1, reqs, &which, MPI_STATUS_IGNORE);
  } else {
    MPI_Send(&rank, 1, MPI_INT, 0, 0, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
