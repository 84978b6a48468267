// simulator: runs the actors of a program_model together, message by message — what the
// order_graph fixpoint cannot do, since there one receive in a loop matches any number of sends.
//
// An actor is *determined* when its ops can be run in order without a guess: every loop it
// enters has a known count, or ends when a receive finds its channel closed (`while (auto v =
// rx.recv())`), or never ends; it leaves no branch undecided; its channels are known, with known
// capacities; it uses no select and no user-API send. Determined actors run round-robin: a send
// completes into a buffer with room or when a receiver waits (rendezvous), a receive takes a
// buffered message, meets a waiting sender, or finds its channel closed. When none can go on, the
// blocked ones wait for the actors whose later ops could complete theirs: each cycle among them
// is a deadlock on every run — unless an actor that is not determined has an op that could
// complete one of the cycle's ops, when the cycle is not reported.
//
// Cost: at most 200,000 ops run in all; past that, nothing is reported.
#pragma once

#include "model.hpp"
#include "order_graph.hpp"

#include <vector>

namespace gridlock::analyzer {

// The deadlocks found by running the determined actors together; each `certain`, not a hazard.
std::vector<deadlock> simulate(const program_model &m);

} // namespace gridlock::analyzer
