// gridlock-circular-send: a cycle of actors each blocked in a send (or a synchronous
// mailbox::send) whose matching receive in the next actor only comes after that actor's own
// blocked send. With buffers too small only under pessimistic assumptions (unknown capacity, a
// send in a loop), the finding is a buffering hazard, certainty "possible".
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_circular_send(const rule_input &in, std::vector<report::finding> &out);
}
