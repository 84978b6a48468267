// flight_recorder: what each actor did last (option trace=1), with Lamport and vector clocks, so a
// report can show what happened before a deadlock.
//
// Per actor, a ring of its last kRing events (send, receive, post, block, unblock, lock, unlock,
// spawn, join) with a steady-clock timestamp, the actor's Lamport clock and its vector clock. The
// clocks travel with messages: a send leaves its clocks with the message (resource, key) in flight;
// the receive of that message merges them. Vector clocks tick only on message events (send, post,
// receive, spawn, join) and are shared, copy-on-write, by the local events that follow.
//
// Bounds (the recorder never grows with the length of a run): kRing events per actor; records of
// at most kExited exited actors (the oldest are dropped); at most kInFlight messages in flight
// (beyond, the oldest lose their clocks: their receive shows no sender); a report carries the
// events of at most kReportActors actors — the findings' own first, then the most recently active.
//
// Names: actors are named to the recorder when they are created (an exited actor's record stays
// while it has events, within kExited); resources only while trace is on (so a channel costs no
// memory here otherwise). Events on a resource the recorder cannot name are named by the
// snapshot's caller, from the wait graph.
//
// Thread-safety: every call takes the recorder's own lock (rank `trace`, a leaf after the
// primitives' locks). Cost: events are recorded only when trace=1 (callers test gl_trace_on()).
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

#include <gridlock/report/report.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail {

class flight_recorder {
public:
  static constexpr std::size_t kRing = 128;
  static constexpr std::size_t kExited = 256;
  static constexpr std::size_t kInFlight = 1 << 16;
  static constexpr std::size_t kReportActors = 64;
  using clock = std::chrono::steady_clock;

  static flight_recorder &get();
  // Turns recording on or off (the trace option): sets gl_trace_flag.
  static void enable(bool on) noexcept;

  void name_actor(gl_actor_id a, const std::string &name);
  void actor_exited(gl_actor_id a);
  void name_resource(gl_resource_id r, const std::string &name);
  void resource_destroyed(gl_resource_id r);

  // An event of actor a (see gl_trace_record); `op`/`where` describe a block.
  void record(gl_event ev, gl_actor_id a, gl_resource_id r, std::uint64_t key, gl_actor_id peer,
              int op = -1, const gl_location *where = nullptr);

  // Microseconds of t on the recorder's time line.
  std::int64_t micros(clock::time_point t) const noexcept;

  // The recorded events by time: of `first` (the findings' actors), then of the most recently
  // active others, kReportActors actors in all. `name_resources` names the resources the
  // recorder does not know (called without the recorder's lock).
  using resource_namer =
      std::function<std::map<gl_resource_id, std::string>(const std::set<gl_resource_id> &)>;
  std::vector<report::trace_event> snapshot(const std::set<std::string> &first,
                                            const resource_namer &name_resources) const;

  // fork (see runtime.hpp): the recorder's lock, held across a fork by the forking thread.
  void lock_for_fork() const;
  void unlock_after_fork() const;

private:
  flight_recorder() = default;
  struct state;
  state &s() const;
  const clock::time_point epoch_ = clock::now();
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
