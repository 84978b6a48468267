// The rule registry: one line per rule.
#include "circular_send.hpp"
#include "lock_across_send.hpp"
#include "recv_recv.hpp"
#include "rule.hpp"
#include "unmatched.hpp"

namespace gridlock::analyzer {

const std::vector<rule> &registered_rules() {
  static const std::vector<rule> rules{
      {"gridlock-circular-send", "a cycle of actors blocked in sends", &check_circular_send},
      {"gridlock-recv-recv", "a cycle of actors blocked in receives", &check_recv_recv},
      {"gridlock-unmatched", "a blocking operation nothing can ever match", &check_unmatched},
      {"gridlock-lock-across-send", "a mutex held across a blocking operation its peer needs",
       &check_lock_across_send},
  };
  return rules;
}

} // namespace gridlock::analyzer
