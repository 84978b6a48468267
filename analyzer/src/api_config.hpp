// api_config: which calls gridlock-check treats as sends and receives (--api).
//
//   gridlock   gridlock's own API (channels, select, mailboxes, mutexes): the default.
//   mpi        MPI point-to-point and collectives, evaluated per rank (rank_interpreter,
//              mpi_simulator, the gridlock-mpi-* rules).
//   FILE       a JSON description of a program's own process-addressed API, the seed's
//              send(dest, &m) / receive(src, &m) style:
//                { "send":    [ { "function": "send",    "peer": 0, "blocking": true } ],
//                  "receive": [ { "function": "receive", "peer": 0 } ],
//                  "any": "ANY",
//                  "processes": { "RESOURCE_MANAGER": "resource_manager", "READER": "reader" } }
//              `peer` is the index of the argument naming the destination (send) or source
//              (receive). `processes` maps each process id (the name used as a peer) to the
//              function the process runs; a list of names means id == function name. A peer
//              that is `any`, or that gridlock cannot resolve (m.source), matches any process.
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
