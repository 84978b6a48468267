// Rank 0 hands out one job per worker and collects each result from that worker.
// mpirun -np 4 ./master_worker
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, job, result;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (rank == 0) {
    for (int w = 1; w < size; ++w) {
      job = w * 10;
      MPI_Send(&job, 1, MPI_INT, w, 0, MPI_COMM_WORLD);
    }
    for (int w = 1; w < size; ++w)
      MPI_Recv(&result, 1, MPI_INT, w, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(&job, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    result = job + 1;
    MPI_Send(&result, 1, MPI_INT, 0, 1, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return 0;
}
