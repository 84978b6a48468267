// C++: a non-blocking receive waited for, from a rank that sends to someone else.
// mpirun -np 3 ./irecv_wait_unmatched
#include <mpi.h>

#include <vector>

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::vector<int> buf(8);
  if (rank == 0) {
    MPI_Request req;
    MPI_Irecv(buf.data(), 8, MPI_INT, 2, 0, MPI_COMM_WORLD, &req);
    MPI_Wait(&req, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-unmatched definite
  } else if (rank == 2) {
    MPI_Send(buf.data(), 8, MPI_INT, 1, 0, MPI_COMM_WORLD);
  } else {
    MPI_Recv(buf.data(), 8, MPI_INT, 2, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  }
  MPI_Finalize();
}
