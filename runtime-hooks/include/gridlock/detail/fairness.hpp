// fairness: what primitives need from the fairness monitor without touching the wait graph.
//
// Priority mailboxes judge starvation of their own queued messages (they alone see them): on
// each receive they check the oldest message of every other priority level, under their own lock,
// and report a starved one after releasing it. The settings come from atomics (no lock).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>
#include <source_location>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {

struct fairness_settings {
  std::chrono::milliseconds starvation{2000};
  std::uint64_t bypass = 100;
  std::chrono::milliseconds aging{0}; // 0: off
};

// The current starvation_ms / starvation_bypass / aging options. Lock-free.
fairness_settings fairness() noexcept;

// A queued message that waited too long while others were served (or, ended, was finally served).
struct starved_message {
  std::string mailbox;
  gl_actor_id source = 0;
  int priority = 0;
  std::chrono::milliseconds age{0};
  std::uint64_t bypass = 0;
  std::vector<gl_actor_id> served_instead; // most recent first
  std::source_location where;
  bool ended = false;
};

// Reports it (text on stderr, JSON in report_dir). Call with no gridlock lock held.
void report_starved_message(const starved_message &m);

} // namespace gridlock::inline GRIDLOCK_ABI::detail
