// C++: a helper computes the partner; the order depends on parity, so pairs never both wait.
// mpirun -np 6 ./parity_exchange
#include <mpi.h>

#include <vector>

namespace {

int partner(int rank) { return rank % 2 == 0 ? rank + 1 : rank - 1; }

void exchange(int rank, std::vector<double> &mine, std::vector<double> &theirs) {
  const int p = partner(rank);
  if (rank < p) {
    MPI_Send(mine.data(), int(mine.size()), MPI_DOUBLE, p, 0, MPI_COMM_WORLD);
    MPI_Recv(theirs.data(), int(theirs.size()), MPI_DOUBLE, p, 0, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
  } else {
    MPI_Recv(theirs.data(), int(theirs.size()), MPI_DOUBLE, p, 0, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    MPI_Send(mine.data(), int(mine.size()), MPI_DOUBLE, p, 0, MPI_COMM_WORLD);
  }
}

} // namespace

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::vector<double> a(1000, rank), b(1000);
  exchange(rank, a, b);
  MPI_Finalize();
}
