// C++: a small wrapper class; gridlock-check follows its member functions.
#include <mpi.h>

class channel {
public:
  explicit channel(MPI_Comm comm) : comm_(comm) {}
  void send(int to, int value) { MPI_Send(&value, 1, MPI_INT, to, 0, comm_); }
  int receive(int from) {
    int v = 0;
    MPI_Recv(&v, 1, MPI_INT, from, 0, comm_, MPI_STATUS_IGNORE);
    return v;
  }

private:
  MPI_Comm comm_;
};

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  channel ch(MPI_COMM_WORLD);
  if (rank == 0) {
    ch.send(1, 5);
    ch.receive(1);
  } else {
    int v = ch.receive(0);
    ch.send(0, v + 1);
  }
  MPI_Finalize();
}
