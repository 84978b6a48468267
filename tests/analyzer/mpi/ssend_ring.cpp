// C++: a ring of synchronous sends over three ranks.
// mpiexec -n 3 ./ssend_ring
#include <mpi.h>

#include <vector>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::vector<double> out(16, 1.0), in(16);
  const int next = (rank + 1) % size;
  const int prev = (rank + size - 1) % size;
  MPI_Ssend(out.data(), 16, MPI_DOUBLE, next, 3, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-deadlock definite
  MPI_Recv(in.data(), 16, MPI_DOUBLE, prev, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
}
