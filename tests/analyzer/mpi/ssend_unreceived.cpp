// C++: a synchronous send to a rank that returns before receiving it.
#include <mpi.h>

#include <string>

static void greet(int to) {
  std::string hello = "hello";
  MPI_Ssend(hello.data(), int(hello.size()), MPI_CHAR, to, 0, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-unmatched definite
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank == 0) greet(1);
  MPI_Finalize();
  return 0;
}
