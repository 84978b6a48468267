// api_config: which calls gridlock-check treats as sends and receives (--api).
//
//   gridlock   the default: gridlock's own API and std's mutexes and threads, as the table of
//              engine/channel_host.cpp lists them (its header comment says which). Not
//              try_send / try_recv / try_receive, or the timed send_for / recv_for: they never
//              block forever.
//   mpi        MPI point-to-point and collectives, evaluated per rank (rank_interpreter,
//              mpi_simulator, the gridlock-mpi-* rules).
//   FILE       a JSON description of a program's own process-addressed API, the seed's
//              send(dest, &m) / receive(src, &m) style:
//                { "send":    [ { "function": "send",    "peer": 0, "blocking": true } ],
//                  "receive": [ { "function": "receive", "peer": 0 } ],
//                  "any": "ANY",
//                  "processes": { "RESOURCE_MANAGER": "resource_manager", "READER": "reader" } }
//              `function` matches direct calls of a free function by its unqualified name (not
//              member calls). `peer` is the index of the argument naming the destination (send)
//              or source (receive). `blocking` (default true) applies to sends only: false means
//              the send never blocks. `processes` maps each process id (the name used as a peer)
//              to the function the process runs, which becomes an actor; a list of names means
//              id == function name. A peer resolves only when the argument names a variable or
//              enumerator spelt as a process id; any other peer (the `any` name, m.source, a
//              number or a macro) matches any process. `any` is read but not otherwise used.
//              At least one send or receive function is required. gridlock's own calls are
//              still recognised in this mode.
#pragma once

#include <string>
#include <vector>

namespace gridlock::analyzer {

struct api_function {
  std::string name;
  unsigned peer = 0;
  bool blocking = true;
};

struct api_config {
  bool gridlock = true; // false: a user API from a file, or MPI
  bool mpi = false;     // --api mpi
  std::vector<api_function> sends, receives;
  std::string any = "ANY";
  std::vector<std::pair<std::string, std::string>> processes; // (id, function)
};

// "gridlock" or a path to a JSON file. Throws std::runtime_error with a one-line reason.
api_config load_api(const std::string &spec);

// The JSON text of an --api file; `spec` names it in errors. Throws as load_api.
api_config parse_api(const std::string &text, const std::string &spec);

} // namespace gridlock::analyzer
