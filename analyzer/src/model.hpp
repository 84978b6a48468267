// model: what gridlock-check extracts from source, free of Clang types. Actors ("entries": each
// thread started, plus the function that starts them), the channels and mutexes they share, and
// each actor's blocking operations with the operations that must precede them on every path.
#pragma once

#include <gridlock/report/report.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gridlock::analyzer {

// Where something is in the source: the report model's location (file, line, column).
using source_loc = report::location;

enum class op_kind {
  send,   // blocks until matched (rendezvous) or while the buffer is full
  recv,   // blocks until a matching send (or a close) is reached
  close,  // never blocks; completes any receive on its channel
  lock,   // a mutex acquisition (held until the matching unlock)
  unlock, // never blocks
};

struct channel {
  std::string name;
  std::optional<long long> capacity; // nullopt: not a constant
  bool unbounded = false;
  bool addressed = false; // a mailbox or a process-addressed queue, not a gridlock channel
  source_loc where;
};

struct entry {
  std::string name;
  source_loc where;   // where it is started (or defined, for the starting function)
  bool multi = false; // started in a loop: several threads run it
};

// op::object for an operation on a channel handle gridlock-check could not follow (a struct field,
// a pointer): it may be any channel, so it matches every operation of the opposite kind.
constexpr int kUnknownChannel = -2;

struct op {
  op_kind kind = op_kind::send;
  int entry = -1;
  int object = -1; // channel index (send/recv/close) or mutex index (lock/unlock); -1 for a
                   // process-addressed send/receive of a user API (see `peer`)
  int peer = -1;   // addressed ops: the destination (send) or required source (recv) entry;
                   // -1: any
  source_loc where;
  std::vector<int> after; // ops of the same entry that complete before this one on every path
  // ops that come before it on some paths only (a branch; a loop body, before the loop's exit):
  // a deadlock that waits on them is "possible"
  std::vector<int> after_maybe;
  bool in_loop = false;
  // in_loop: how many times it runs per run of its function, when every enclosing loop is counted
  // (a constant trip count); nullopt when any is not.
  std::optional<long long> repeat;
  bool conditional = false;     // not executed on every path through its entry
  bool buffered_anyway = false; // never blocks whatever the channel (mailbox post)
  int pairs_with = -1;          // unlock: its lock op
  // A case of a select: the index of the select's first case (its cases are consecutive ops,
  // reached together); the select completes when any case can. -1: not a case.
  int select_group = -1;
  bool polls = false; // a case of a select that never blocks (try_select, wait_for)
};

// A loop or an undecided branch of one entry, over its ops [begin, end): what the simulation
// (simulator.hpp) needs to run the entry's ops in their order.
struct region {
  enum class kind_t { loop, choice } kind = kind_t::loop;
  int entry = -1;
  int begin = 0, end = 0;
  std::optional<long long> count; // a loop's iterations, when known
  int driver = -1;      // a loop of unknown count: the receive whose result ends it (closed)
  bool forever = false; // a loop with no way out
};

struct program_model {
  std::vector<channel> channels;
  std::vector<std::string> mutexes;
  std::vector<entry> entries;
  std::vector<op> ops; // each entry's ops are consecutive, in the order it runs them
  std::vector<region> regions;
};

} // namespace gridlock::analyzer
