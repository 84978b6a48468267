// Both receives are posted, but each rank waits for them before sending anything.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, a[2], b[2] = {1, 2};
  MPI_Request reqs[2];
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int other = !rank;
  MPI_Irecv(&a[0], 1, MPI_INT, other, 0, MPI_COMM_WORLD, &reqs[0]);
  MPI_Irecv(&a[1], 1, MPI_INT, other, 1, MPI_COMM_WORLD, &reqs[1]);
  MPI_Waitall(2, reqs, MPI_STATUSES_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Send(&b[0], 1, MPI_INT, other, 0, MPI_COMM_WORLD);
  MPI_Send(&b[1], 1, MPI_INT, other, 1, MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
