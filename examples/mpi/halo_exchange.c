// A 1-D heat stencil over MPI, checked by the main job with `gridlock-check --api mpi`.
// mpirun -np 4 ./halo_exchange
//
// Expected findings (4 ranks):
//   - gridlock-mpi-buffering-hazard at the first MPI_Send of exchange_halos(): every rank sends
//     its right edge before receiving, a ring that completes only while MPI buffers the messages
//     (fix: MPI_Sendrecv, or MPI_Irecv/MPI_Isend + MPI_Waitall);
//   - gridlock-mpi-unmatched at rank 0's MPI_Recv in collect(): the workers send their residual
//     with tag RESIDUAL, rank 0 waits for tag RESULT.
#include <mpi.h>
#include <stdio.h>

#define CELLS 1024
#define STEPS 3
enum { HALO = 1, RESULT = 2, RESIDUAL = 3 };

static double grid[CELLS + 2];

static void exchange_halos(int rank, int size) {
  const int left = (rank + size - 1) % size, right = (rank + 1) % size;
  MPI_Send(&grid[CELLS], 1, MPI_DOUBLE, right, HALO, MPI_COMM_WORLD); // CHECK-WARN: gridlock-mpi-buffering-hazard definite
  MPI_Recv(&grid[0], 1, MPI_DOUBLE, left, HALO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  MPI_Send(&grid[1], 1, MPI_DOUBLE, left, HALO, MPI_COMM_WORLD);
  MPI_Recv(&grid[CELLS + 1], 1, MPI_DOUBLE, right, HALO, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

static double relax(void) {
  double change = 0;
  for (int i = 1; i <= CELLS; ++i) {
    const double next = 0.5 * (grid[i - 1] + grid[i + 1]);
    change += next > grid[i] ? next - grid[i] : grid[i] - next;
    grid[i] = next;
  }
  return change;
}

static void collect(int rank, int size, double residual) {
  if (rank == 0) {
    for (int worker = 1; worker < size; ++worker) {
      double r;
      MPI_Recv(&r, 1, MPI_DOUBLE, worker, RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE); // CHECK-WARN: gridlock-mpi-unmatched definite
      residual += r;
    }
    printf("residual %g\n", residual);
  } else {
    MPI_Send(&residual, 1, MPI_DOUBLE, 0, RESIDUAL, MPI_COMM_WORLD);
  }
}

int main(int argc, char **argv) {
  int rank, size;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  grid[CELLS / 2] = rank;
  double residual = 0;
  for (int step = 0; step < STEPS; ++step) {
    exchange_halos(rank, size);
    residual = relax();
  }
  collect(rank, size, residual);
  MPI_Finalize();
  return 0;
}
