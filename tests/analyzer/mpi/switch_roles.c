// Roles chosen by a switch on the rank: the coordinator and the worker both wait for each other.
// mpirun -np 3 ./switch_roles
#include <mpi.h>

enum role { COORDINATOR, WORKER, IDLE };

static enum role role_of(int rank) {
  switch (rank) {
  case 0: return COORDINATOR;
  case 1: return WORKER;
  default: return IDLE;
  }
}

int main(int argc, char **argv) {
  int rank, job = 0, result = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  switch (role_of(rank)) {
  case COORDINATOR:
    MPI_Recv(&result, 1, MPI_INT, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-deadlock definite
    MPI_Send(&job, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
    break;
  case WORKER:
    MPI_Recv(&job, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-NOTE
    MPI_Send(&result, 1, MPI_INT, 0, 1, MPI_COMM_WORLD);
    break;
  case IDLE:
    break;
  }
  MPI_Finalize();
  return 0;
}
