// C++: scatter work, compute, gather results.
// mpirun -np 4 ./gather_scatter
#include <mpi.h>

#include <vector>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  std::vector<int> all(rank == 0 ? size * 8 : 0), part(8);
  MPI_Scatter(all.data(), 8, MPI_INT, part.data(), 8, MPI_INT, 0, MPI_COMM_WORLD);
  for (int &v : part) v *= 2;
  MPI_Gather(part.data(), 8, MPI_INT, all.data(), 8, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
}
