// Observing findings from the program itself (test frameworks, custom logging).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <cstddef>
#include <functional>
#include <string>

namespace gridlock::inline GRIDLOCK_ABI {

// What a handler learns about one finding: its kind ("deadlock", "starvation", "leak", "crash"),
// its certainty, the one-sentence summary, and the location of its first actor (for a deadlock,
// the cycle's oldest wait that is not a join: the line to look at first).
struct finding_summary {
  std::string kind;
  std::string certainty;
  std::string summary;
  std::string file;
  unsigned line = 0;
};

// Installs the handler called for every finding, after its report is written (replacing any
// previous one; an empty function removes it). It runs on the thread that found it (gridlock's
// detector thread, or a mailbox owner for a starved message), never while gridlock holds a lock, so
// it may call anything, including gridlock; it must not throw. Thread-safe.
void on_finding(std::function<void(const finding_summary &)> handler);

// Reports every actor still blocked in a gridlock wait (not reported before) as a leak, as goleak
// does at the end of a test; returns how many (0 with report_leaks=0). Takes gridlock's locks: do
// not call it from a finding handler.
std::size_t report_leaks_now();

} // namespace gridlock::inline GRIDLOCK_ABI
