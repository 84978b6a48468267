// A callback through a function pointer is not followed (gridlock-check says so on stderr); the
// communication it can see is safe, so there is no finding.
#include <mpi.h>
#include <stdio.h>

static void log_line(const char *s) { puts(s); }

int main(int argc, char **argv) {
  int rank, x = 0;
  void (*log_fn)(const char *) = log_line;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  log_fn("start");
  if (rank == 0)
    MPI_Send(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
  else
    MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
