// mpi_calls: what each MPI function means to gridlock-check (--api mpi): its role and where its
// partner, tag, communicator and request arguments are (0-based, as in the MPI standard's C
// bindings, so Open MPI and MPICH headers agree). Clang-free; a table lookup by name.
#pragma once

#include "mpi_model.hpp"

#include <string_view>

namespace gridlock::analyzer::mpi {

enum class role {
  send,       // MPI_Send family (blocking or I-)
  recv,       // MPI_Recv / MPI_Irecv / MPI_Mprobe (takes the message)
  sendrecv,   // MPI_Sendrecv(_replace): a send and a receive, both awaited
  probe,      // MPI_Probe
  wait,       // MPI_Wait / MPI_Test (a test is assumed to be polled until it succeeds)
  wait_array, // MPI_Waitall / Waitany / Waitsome / Testall / Testany / Testsome
  comm_rank,  // writes the rank
  comm_size,  // writes the size
  comm_dup,   // a new communicator with the same ranks (collective)
  comm_other, // MPI_Comm_split, MPI_Comm_create, ...: collective; its result is not modelled
  collective, // MPI_Barrier, MPI_Bcast, ... (blocking or I-)
  abort,      // MPI_Abort
  local,      // no communication that can block (MPI_Init, MPI_Wtime, MPI_Type_*, ...)
};

constexpr int kNone = -1;       // the function has no such argument
constexpr int kFindByType = -2; // the argument is the one declared MPI_Comm / MPI_Request *

struct signature {
  role what = role::local;
  send_mode mode = send_mode::standard;
  bool blocking = true;
  int peer = kNone; // destination (send) or source (recv, probe)
  int tag = kNone;
  int comm = kNone;
  int request = kNone; // I-calls: the MPI_Request * written; wait: the request(s) read
  int recv_peer = kNone, recv_tag = kNone; // sendrecv: the receive half
  bool any = false;                        // wait_array: one completion is enough
  int count = kNone;                       // wait_array: how many requests
  int flag = kNone; // MPI_Test*: the completion flag (set to true: the test is polled until then)
};

// The signature of an MPI function, or nullptr for an MPI function gridlock-check does not model
// (one-sided, I/O, persistent requests, ...). `name` starts with "MPI_".
const signature *find_signature(std::string_view name);

} // namespace gridlock::analyzer::mpi
