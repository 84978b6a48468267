// Matched probe and receive: MPI_Mprobe takes the message, MPI_Mrecv reads it.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Message msg;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) {
    MPI_Send(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
  } else {
    MPI_Mprobe(0, 0, MPI_COMM_WORLD, &msg, MPI_STATUS_IGNORE);
    MPI_Mrecv(&x, 1, MPI_INT, &msg, MPI_STATUS_IGNORE);
  }
  MPI_Finalize();
  return 0;
}
