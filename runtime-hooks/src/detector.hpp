// detector: decides, after detect_delay_ms of blocking, which actors can never proceed, and acts.
//
// It runs on its own thread, started by the first wait that really blocks, and sleeps while
// nothing is blocked. Every half detect_delay_ms while waits exist, it checks the graph (skipped
// when neither the graph nor the set of threads changed); a deadlock is reported once, as soon as
// every wait of its cycle is detect_delay_ms old (a young one is re-checked exactly then), so the
// report comes detect_delay_ms plus at most half of it after the cycle closed.
//
// Victim rule (on_deadlock=break, definite verdicts only): among the breakable waits of the
// deadlock's cycle (or, without a cycle, of its members), the youngest — the wait that closed the
// cycle; ties cannot happen (waits are numbered). Its blocking call throws deadlock_error.
// Findings are numbered per process (report::finding::id). The other waits of a broken deadlock
// may stay stuck (the victim was their only releaser): a later deadlock that contains one of
// them is reported as a consequence of the break (report::finding::after), so a reader sees one
// root finding per bug.
//
// Locking: checks run under the graph lock and only collect; reports are formatted and written,
// and victims woken, after the lock is released.
#pragma once

#include <gridlock/detail/abi.hpp>

#include "options.hpp"
#include "wait_graph.hpp"

#include <gridlock/detail/fairness.hpp>
#include <gridlock/hooks.h>

#include <gridlock/report/report.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class runtime;

class detector {
public:
  explicit detector(runtime &rt) : rt_(rt) {}
  // Starts the detector thread if it is not running (graph lock held by the caller).
  void ensure_started();
  // Reports every actor still blocked in a wait not reported before as one "leak" finding (unless
  // report_leaks=0); `when` ends its summary. Returns how many. No gridlock lock may be held.
  std::size_t report_leaks(const char *when);
  // The process is dying (crash_flush.hpp; called on the crash reporter's thread): the deadlocks
  // not reported yet, whatever their age, and pending starvation epilogues, then one "crash"
  // finding with every actor blocked now (and the trace). The graph lock is tried for a second;
  // if it stays taken (by the crashing thread), the crash finding says the blocked actors are
  // unknown and comes alone.
  void report_crash(const char *why);
  // At exit: waits (at most 10 s) for the reports the detector thread is writing or has queued,
  // reports actors still blocked as leaks, then applies `exitcode`.
  void at_exit();
  // A priority mailbox found a starved message: report it now (no gridlock lock held).
  void report_message(const starved_message &m);
  // A wait reported as starving ends (graph lock held): queue its epilogue for the next check.
  void starvation_ended(const gl_wait &w);
  // A finding made on another thread (graph lock held): numbered and queued for the next check;
  // starts the detector thread if it is not running.
  void queue(report::finding f);
  // Whether the detector sleeps until something blocks (graph lock held): only then does a new
  // wait need to wake it. A detector already counting down is never woken by a wait: a program
  // that blocks and unblocks all the time (a ping-pong) does not pay for a check per wait.
  bool idle() const noexcept { return idle_; }
  // Findings reported so far in this process.
  std::size_t findings_reported() const noexcept { return findings_; }

private:
  // What one check found, to act on after the graph lock is released.
  struct outcome {
    report::report report;
    std::vector<gl_wait_t> victims; // marked `waking`: valid until we clear it
    bool definite = false;
  };
  void loop();
  bool next_check(const options &opt, std::size_t threads, outcome &out);
  // Graph lock held: whether threads that are not actors exist, of `threads` in the process.
  bool untracked(std::size_t threads) const;
  // Graph lock held: collects the deadlocks not reported before that are detect_delay_ms old.
  // Returns when the youngest of the others will be.
  std::optional<std::chrono::steady_clock::time_point> check(const options &opt, bool untracked,
                                                             outcome &out);
  void check_starvation(const options &opt, outcome &out);
  // Graph lock held: the deadlocks not reported yet, whatever their age, and the starvation
  // epilogues not reported yet (the process is dying).
  std::vector<report::finding> unreported(const options &opt, std::size_t threads);
  void act(const options &opt, const outcome &out);
  // Graph lock held: the deadlocks of the graph now (the last analysis when nothing changed).
  const std::vector<deadlock_group> &deadlocks(bool untracked);
  // Graph lock held: the id of the next finding (1, 2, ...), counted as reported.
  std::int64_t next_id() noexcept { return static_cast<std::int64_t>(++findings_); }
  // Graph lock held: finding `finding` broke `victim`'s wait (seq `victim_seq`); the other
  // members' waits, if they stay stuck, are its consequences.
  void remember_break(std::int64_t finding, const std::string &victim,
                      const std::vector<gl_actor_id> &members, std::uint64_t victim_seq);
  // Graph lock held: if a wait of `members` was stuck in a deadlock whose victim was broken, `f`
  // is a consequence of that finding (the latest such break): sets f.after and f.after_why.
  void link_to_cause(report::finding &f, const std::vector<gl_actor_id> &members) const;

  runtime &rt_;
  bool started_ = false;              // graph lock
  std::thread::id thread_;            // graph lock: the detector thread, once started
  bool idle_ = false;                 // graph lock
  std::uint64_t checked_version_ = 0; // detector thread only: what the last check saw
  bool checked_untracked_ = false;    // detector thread only
  // Detector thread only: when the youngest deadlock too young to report becomes old enough.
  std::optional<std::chrono::steady_clock::time_point> due_;
  // Graph lock: deadlocks reported (their waits), with their finding and verdict: a probable one
  // that becomes definite (say, `main` blocks too) is reported again, as its consequence.
  struct reported_as {
    std::int64_t finding = 0;
    bool definite = false;
  };
  std::map<std::vector<std::uint64_t>, reported_as> reported_keys_;
  std::set<std::uint64_t> reported_waits_; // graph lock: waits that were part of a finding
  std::size_t findings_ = 0;               // graph lock
  // Graph lock: the last analysis, and the graph version it saw.
  struct analysis {
    std::uint64_t version = 0;
    bool untracked = false;
    std::vector<deadlock_group> groups;
  };
  std::optional<analysis> analysed_;
  std::size_t acting_ = 0; // graph lock: checks whose findings are being written (0 or 1)
  // Graph lock: the process is exiting (at_exit has begun). The detector thread reports nothing
  // more: what is still blocked is a leak, reported by at_exit, and the statics a report needs
  // are being destroyed.
  bool exiting_ = false;
  // Graph lock: the last kBreaksKept deadlocks whose victim was broken, with the waits they
  // left stuck (wait seqs), to link the findings those waits cause later.
  struct broken {
    std::int64_t finding;
    std::string why; // "after breaking 'x'"
    std::set<std::uint64_t> stuck;
  };
  static constexpr std::size_t kBreaksKept = 64;
  std::vector<broken> breaks_;
  // Graph lock: findings made elsewhere, written at the next check: starvation epilogues and
  // predicted lock-order inversions.
  std::vector<report::finding> queued_;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
