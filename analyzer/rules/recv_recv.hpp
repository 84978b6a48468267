// gridlock-recv-recv: a cycle of actors each blocked first in a receive that only the next actor's
// later send would satisfy: a deadlock whatever the buffering.
#pragma once

#include "rule.hpp"

namespace gridlock::analyzer {
void check_recv_recv(const rule_input &in, std::vector<report::finding> &out);
}
