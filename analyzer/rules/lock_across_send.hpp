// gridlock-lock-across-send: an actor holds a mutex across a blocking send or receive whose peer
// must take the same mutex before its matching operation. Definite when the peer also holds it
// across that operation (both orders deadlock), possible otherwise (it depends on who locks first).
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_lock_across_send(const rule_input &in, std::vector<report::finding> &out);
}
