// A non-periodic shift: the ends talk to MPI_PROC_NULL, which completes at once.
// mpirun -np 4 ./proc_null_shift
#include <mpi.h>

int main(int argc, char **argv) {
  int rank, size, out, in = -1;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int up = rank + 1 < size ? rank + 1 : MPI_PROC_NULL;
  int down = rank > 0 ? rank - 1 : MPI_PROC_NULL;
  out = rank;
  MPI_Sendrecv(&out, 1, MPI_INT, up, 0, &in, 1, MPI_INT, down, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
  MPI_Send(&out, 1, MPI_INT, down, 1, MPI_COMM_WORLD);
  MPI_Recv(&in, 1, MPI_INT, up, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Finalize();
  return 0;
}
