// Synchronous non-blocking sends completed by polling MPI_Testall after posting the receives.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, a = 1, b = 0, flag = 0;
  MPI_Request reqs[2];
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Issend(&a, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, &reqs[0]);
  MPI_Irecv(&b, 1, MPI_INT, 1 - rank, 0, MPI_COMM_WORLD, &reqs[1]);
  do {
    MPI_Testall(2, reqs, &flag, MPI_STATUSES_IGNORE);
  } while (!flag);
  MPI_Finalize();
  return 0;
}
