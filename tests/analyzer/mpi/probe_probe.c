// Both ranks probe for a message before sending theirs.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, n, buf[4] = {0};
  MPI_Status st;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  int other = rank == 0 ? 1 : 0;
  MPI_Probe(other, 0, MPI_COMM_WORLD, &st); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Get_count(&st, MPI_INT, &n);
  MPI_Recv(buf, n, MPI_INT, other, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Send(buf, 4, MPI_INT, other, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}
