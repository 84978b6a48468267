// Probe for the size, then receive exactly that message.
#include <mpi.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int rank, n = 0;
  int data[5] = {1, 2, 3, 4, 5};
  MPI_Status st;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    MPI_Send(data, 5, MPI_INT, 1, 3, MPI_COMM_WORLD);
  } else {
    MPI_Probe(0, 3, MPI_COMM_WORLD, &st);
    MPI_Get_count(&st, MPI_INT, &n);
    int *buf = malloc(sizeof(int) * (size_t)n);
    MPI_Recv(buf, n, MPI_INT, 0, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    free(buf);
  }
  MPI_Finalize();
  return 0;
}
