// mpi_model: what gridlock-check extracts from an MPI program for `--api mpi`, free of Clang types.
// One trace per rank: the MPI operations rank r performs, in program order, with their partner,
// tag and communicator evaluated for that rank (rank_interpreter builds it; mpi_simulator runs it).
#pragma once

#include "model.hpp"

#include <string>
#include <vector>

namespace gridlock::analyzer::mpi {

// Special values of a partner or tag.
constexpr int kAny = -1;      // MPI_ANY_SOURCE / MPI_ANY_TAG: a wildcard
constexpr int kUnknown = -2;  // gridlock-check could not evaluate it: may be anything
constexpr int kProcNull = -3; // MPI_PROC_NULL: the operation completes at once, matching nothing
constexpr int kNoSuchRank = 1 << 30; // a number that is not a rank of the communicator

// Communicators: MPI_COMM_WORLD, MPI_COMM_SELF, then the results of MPI_Comm_dup in call order
// (the k-th dup is the same communicator on every rank, since MPI_Comm_dup is collective).
constexpr int kWorld = 0;
constexpr int kSelf = 1;
constexpr int kUnknownComm = -1;

enum class ev_kind {
  send,       // MPI_Send/Ssend/Bsend/Rsend and the Isend family
  recv,       // MPI_Recv and the Irecv family
  probe,      // MPI_Probe: waits for a matching message without taking it
  wait,       // MPI_Wait/Waitall/Test...: completes the requests in `waits`
  collective, // MPI_Barrier, MPI_Bcast, ...: every rank of the communicator must reach it
  abort,      // MPI_Abort: ends every rank
};

enum class send_mode {
  standard, // MPI_Send, MPI_Bsend, MPI_Rsend: eager (buffered) or rendezvous, the library decides
  sync,     // MPI_Ssend: completes only when the matching receive has started
};

struct event {
  ev_kind kind = ev_kind::send;
  std::string call; // the MPI function as written: "MPI_Recv"
  send_mode mode = send_mode::standard;
  bool blocking = true; // false: an I-call, completed by a later wait event
  int peer = kUnknown;  // send: the destination; recv/probe: the source
  int tag = kUnknown;
  int comm = kWorld;
  std::vector<int> waits; // wait: the events (of this rank) whose requests it completes
  bool any = false;       // wait: MPI_Waitany/Waitsome: one of them is enough
  source_loc where;
  // Why this event (its presence, partner, tag or communicator) is not certain, "" when it is:
  // "the destination depends on atoi() at ring.c:12". A finding through it is "possible".
  std::string uncertain;
};

struct rank_trace {
  std::vector<event> events;
  bool finished = true; // false: evaluation gave up (budget); the trace is a prefix
  // Why the trace may miss or misplace operations ("" when it is exact): a branch or loop that
  // could not be decided, a goto, a call not followed. What "no rank ever sends" claims about
  // this rank is then only possible.
  std::string approximate{};
};

struct program {
  int np = 2;
  std::vector<rank_trace> ranks; // one per rank, 0..np-1
};

} // namespace gridlock::analyzer::mpi
