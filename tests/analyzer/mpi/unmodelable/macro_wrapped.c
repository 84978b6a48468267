// Calls hidden behind the program's own macros and an unknown communicator from a struct field.
#include <mpi.h>

#define CHECK(call) do { if ((call) != MPI_SUCCESS) MPI_Abort(MPI_COMM_WORLD, 1); } while (0)
#define EXCHANGE(buf, peer, comm) MPI_Recv(buf, 1, MPI_INT, peer, 0, comm, MPI_STATUS_IGNORE)

struct context { MPI_Comm comm; int peer; };

int main(int argc, char **argv) {
  int rank, x = 0;
  struct context ctx;
  CHECK(MPI_Init(&argc, &argv));
  CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
  ctx.comm = MPI_COMM_WORLD;
  ctx.peer = 1 - rank;
  CHECK(EXCHANGE(&x, ctx.peer, ctx.comm));
  CHECK(MPI_Send(&x, 1, MPI_INT, ctx.peer, 0, ctx.comm));
  MPI_Finalize();
  return 0;
}
