// order_graph: which blocking operations of a program_model can never complete, and the cycles of
// actors behind them.
//
// An operation is *reached* when every operation that precedes it on all paths of its entry has
// completed. A send completes when it is reached and either does not block (room in a buffer of
// known capacity, an unbounded channel, a mailbox post) or a matching receive in another entry is
// reached; a receive completes when it is reached and a matching send (or a close of its channel)
// is reached. Lock acquisitions are taken as completing (see the lock-across-send rule). The least
// fixpoint of these rules leaves exactly the operations that wait forever. Each such operation
// waits for the entries whose matching operations are stuck behind their own waits: the cycles of
// that entry graph (Boost.Graph) are the deadlocks.
//
// Buffering is judged twice: optimistically (sends in loops fit their buffer, an unknown capacity
// is large enough) for certain deadlocks, and pessimistically (an unknown capacity is 0, a send in
// a loop fills any buffer) for buffering hazards.
#pragma once

#include "model.hpp"

#include <vector>

namespace gridlock::analyzer {

struct deadlock_step {
  int entry = -1;
  int op = -1;      // the operation this entry is stuck in
  int release = -1; // the operation of the next entry that would complete it (never reached)
};

struct deadlock {
  std::vector<deadlock_step> cycle; // cycle[i] waits for cycle[i + 1], the last for the first
  bool hazard = false;              // only with pessimistic buffering
  bool certain = true;              // every step is on every path of its entry
};

// True if s and r can meet: a send and a receive on the same channel (or addressed to each other),
// in different entries unless buffering lets an entry receive its own message.
bool matches(const program_model &m, const op &s, const op &r);

// The sends of s's entry on s's channel that complete before s on every path: with s, what has
// gone into the channel's buffer when s goes.
std::vector<int> earlier_sends(const program_model &m, const op &s);

std::vector<deadlock> find_deadlocks(const program_model &m);

// Sends and receives on channels (and user-API processes) that nothing in the program can ever
// match. Mailboxes are left out: they are mostly reached through pointers.
std::vector<int> find_unmatched(const program_model &m);

} // namespace gridlock::analyzer
