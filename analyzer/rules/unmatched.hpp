// gridlock-unmatched: a blocking receive on a channel no other actor ever sends to (nor closes),
// or a rendezvous send nobody ever receives. Mailboxes are not checked (they are mostly reached
// through pointers the model cannot follow). For gridlock channels the operation still ends when
// every handle of the other end is destroyed, so the certainty is "possible"; for a process-
// addressed user API it is "definite".
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_unmatched(const rule_input &in, std::vector<report::finding> &out);
}
