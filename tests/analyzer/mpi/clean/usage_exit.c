// An input check that only exits: gridlock-check assumes the program goes on, and finds the
// exchange safe.
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int rank, x = 0;
  MPI_Init(&argc, &argv);
  if (argc > 2) {
    fprintf(stderr, "usage: %s [n]\n", argv[0]);
    MPI_Finalize();
    return 1;
  }
  int n = argc > 1 ? atoi(argv[1]) : 4;
  (void)n;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0)
    MPI_Ssend(&x, 1, MPI_INT, 1, 0, MPI_COMM_WORLD);
  else
    MPI_Recv(&x, 1, MPI_INT, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
