// Buffered sends with an attached buffer, in a safe order anyway.
#include <mpi.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int rank, x = 0, size = 1024;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  void *buf = malloc((size_t)size);
  MPI_Buffer_attach(buf, size);
  if (rank == 0) {
    MPI_Bsend(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
    MPI_Recv(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Bsend(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD);
  }
  MPI_Buffer_detach(&buf, &size);
  free(buf);
  MPI_Finalize();
  return 0;
}
