// Ping-pong in a do-while loop: each round the roles are fixed by rank.
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, ball = 0, round = 0;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  do {
    if (rank == 0) {
      MPI_Ssend(&ball, 1, MPI_INT, 1, round, MPI_COMM_WORLD);
      MPI_Recv(&ball, 1, MPI_INT, 1, round, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else {
      MPI_Recv(&ball, 1, MPI_INT, 0, round, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Ssend(&ball, 1, MPI_INT, 0, round, MPI_COMM_WORLD);
    }
  } while (++round < 4);
  MPI_Finalize();
  return 0;
}
