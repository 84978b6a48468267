// detector: decides, after detect_delay_ms of blocking, which actors can never proceed, and acts.
//
// It runs on its own thread, started by the first wait that really blocks, and sleeps while
// nothing is blocked. Every half detect_delay_ms while waits exist, it checks the graph (skipped
// when nothing changed since the last check and nothing was pending); a deadlock whose every wait
// is at least detect_delay_ms old is reported once.
//
// Victim rule (on_deadlock=break, definite verdicts only): among the breakable waits of the
// deadlock's cycle (or, without a cycle, of its members), the youngest — the wait that closed the
// cycle; ties cannot happen (waits are numbered). Its blocking call throws deadlock_error.
//
// Locking: checks run under the graph lock and only collect; reports are formatted and written,
// and victims woken, after the lock is released.
#pragma once

#include "options.hpp"

#include <gridlock/hooks.h>

#include <gridlock/report/report.hpp>

#include <cstdint>
#include <set>
#include <thread>
#include <vector>

namespace gridlock::detail {

class runtime;

class detector {
public:
  explicit detector(runtime &rt) : rt_(rt) {}
  // Starts the detector thread if it is not running (graph lock held by the caller).
  void ensure_started();
  // At exit: reports actors still blocked as leaks, then applies `exitcode`.
  void at_exit();
  // Findings reported so far in this process.
  std::size_t findings_reported() const noexcept { return findings_; }

private:
  struct victim {
    gl_wait_t wait;
  };
  void loop();
  bool check(const options &opt, bool untracked, report::report &out, std::vector<victim> &victims,
             bool &definite);

  runtime &rt_;
  bool started_ = false;              // graph lock
  std::uint64_t checked_version_ = 0; // detector thread only: what the last check saw
  bool checked_untracked_ = false;    // detector thread only
  bool pending_ = false;              // detector thread only: a deadlock was too young to report
  std::set<std::vector<std::uint64_t>> reported_keys_; // graph lock: deadlocks reported
  std::set<std::uint64_t> reported_waits_; // graph lock: waits that were part of a finding
  std::size_t findings_ = 0;               // graph lock
};

} // namespace gridlock::detail
