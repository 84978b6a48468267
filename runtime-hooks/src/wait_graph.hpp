// wait_graph: the live AND-OR wait-for graph over actors and resources, and its deadlock analysis.
//
// A plain data structure: NOT synchronized. The runtime guards every call with its graph lock
// (lock rank 2), and tests drive it directly. Boost.Graph is used inside wait_graph.cpp only; this
// interface speaks of actors, resources and waits.
//
// Invariants
//   - Every wait begun belongs to a present actor; an actor has at most one wait.
//   - Holder counts per (resource, end, actor) are signed: hooks from different threads may arrive
//     release-before-hold, and an entry exists only while one of its counts is non-zero.
//   - Removing an actor drops everything it held: a thread that has exited releases nothing.
#pragma once

#include <gridlock/detail/abi.hpp>

#include <gridlock/hooks.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

// The record behind a gl_wait_t handle.
struct gl_wait {
  using clock = std::chrono::steady_clock;
  std::uint64_t seq = 0; // unique per wait, in begin order
  gl_actor_id actor = 0;
  gl_op op = GL_OP_CUSTOM;
  bool all = false;
  bool timed = false;
  std::vector<gl_target> targets;
  gl_location where{};
  clock::time_point since;
  gl_wake_fn wake = nullptr;
  void *wake_ctx = nullptr;
  std::atomic<bool> released{false}; // set lock-free by the releaser (gl_wait_released)
  bool holding_locks = false;        // the waiter held locks when it began (lock_order_graph)
  bool waking = false;               // graph lock: the detector is running wake()
  bool broken = false;               // graph lock: the detector broke this wait
  // Fairness (graph lock): younger waits on the same resource served before this one, and who.
  std::uint64_t overtakes = 0;
  std::vector<gl_actor_id> served_instead; // most recent last, at most kServedInsteadKept
  // Services counted outside the graph when the wait began (wait_graph::served_outside): for
  // receive_from(x), x's deliveries to others; for a lock that counts who it lets in past
  // its waiters (gl_served_watch), that count. Both count as bypass.
  std::uint64_t served_at_begin = 0;
  std::uint64_t bypass_seen =
      0; // the largest bypass count computed (it survives the awaited actor)
  std::int64_t starvation_finding = 0; // graph lock: the id of its starvation finding (0: none)

  // Makes an ended record ready for its thread's next wait (no allocation: targets and
  // served_instead keep their capacity). Resets every field gl_wait_begin does not set.
  void recycle() noexcept {
    seq = 0;
    actor = 0;
    targets.clear();
    released.store(false, std::memory_order_relaxed);
    waking = broken = false;
    overtakes = served_at_begin = bypass_seen = 0;
    served_instead.clear();
    starvation_finding = 0;
  }
};

namespace gridlock::inline GRIDLOCK_ABI::detail {

using clock = std::chrono::steady_clock;

constexpr std::size_t kServedInsteadKept = 8;
constexpr std::size_t kExitedNamesKept = 4096;
constexpr std::size_t kInheritDepth = 64; // contexts derived deeper count as cancellable

// Per-actor counters written lock-free by the actor's own thread on every process-addressed
// delivery (mailbox post/send): the fairness monitor's view of whom an actor serves.
//
// And the actor's shared holdings (gl_shared_acquire), written by its own thread only (relaxed
// loads and stores, no read-modify-write) and read by the analysis: the holders an ALL_HOLDERS
// wait waits for. A cell is 0 when free.
struct actor_stats {
  std::atomic<std::uint64_t> delivered{0};
  std::array<std::atomic<gl_actor_id>, 4> recent{}; // recipients, a ring
  std::atomic<unsigned> next{0};
  std::array<std::atomic<gl_resource_id>, GL_SHARED_CELLS> shared{};
  std::atomic<std::uint32_t> shared_overflow{0}; // shared holdings beyond the cells, unnamed
};

struct resource_info {
  const char *kind = "resource"; // static storage (gl_resource_create's contract)
  std::string name;
  std::int64_t capacity = -1;              // < 0: unbounded / not applicable
  gl_actor_id owner = 0;                   // mutex-like: the owner last recorded (0: unknown)
  const gl_actor_id *owner_cell = nullptr; // gl_owner_watch: where the primitive keeps its owner
  const int *owner_tid_cell = nullptr;     // gl_owner_watch_tid: where a C library keeps it
  struct counts {
    std::int64_t exact = 0;
    std::int64_t inferred = 0;
    std::int64_t unused = 0; // handles it made and never used (GL_HOLD_UNUSED)
    bool any() const noexcept { return exact != 0 || inferred != 0 || unused != 0; }
  };
  // By gl_end: a flat list (an end has few holders; an unheld end allocates nothing).
  std::vector<std::pair<gl_actor_id, counts>> holders[2];
  std::int64_t unknown[2] = {0, 0}; // holdings of unknown actors, by gl_end
  // The unused handles of the first actor that reported one (make_channel's maker), by gl_end:
  // kept here, not as a holder entry, so a channel that never blocks anybody costs no
  // allocation for them. Ignored once the maker has exited. Other actors' go to `holders`.
  // What only Go's toolbox uses, allocated on first use: a channel pays one pointer for it.
  struct extras {
    bool guessed = false;                       // gl_resource_guessed_holders: probable at most
    gl_resource_id inherits[2] = {0, 0};        // by gl_end: whose holders also hold it
    const std::uint64_t *served_cell = nullptr; // gl_served_watch: services past its waiters
    // Actors that exited holding it in shared mode (gl_shared_acquire): they never let go.
    std::vector<gl_actor_id> exited_shared_holders;
  };
  std::unique_ptr<extras> extra;
  extras &more() {
    if (!extra) extra = std::make_unique<extras>();
    return *extra;
  }
  bool guessed() const noexcept { return extra && extra->guessed; }
  gl_resource_id inherits(int end) const noexcept { return extra ? extra->inherits[end] : 0; }
  const std::uint64_t *served_cell() const noexcept { return extra ? extra->served_cell : nullptr; }
  std::size_t exited_shared_count() const noexcept {
    return extra ? extra->exited_shared_holders.size() : 0;
  }
  gl_actor_id maker = 0;
  std::int64_t maker_unused[2] = {0, 0};

  counts &holder(int end, gl_actor_id a) {
    for (auto &[who, c] : holders[end])
      if (who == a) return c;
    return holders[end].emplace_back(a, counts{}).second;
  }
  void drop_holder(int end, gl_actor_id a) {
    std::erase_if(holders[end], [a](const auto &h) { return h.first == a; });
  }
};

struct actor_info {
  std::string name;
  std::shared_ptr<actor_stats> stats = std::make_shared<actor_stats>();
  gl_wait *wait = nullptr; // the current wait, if blocked
  int tid = 0;             // its thread's kernel id, once known (set_thread)
  std::set<std::pair<gl_resource_id, int>> holds;
};

// A handle an actor made and has never used: a candidate releaser of the waits on its other end.
struct unused_copy {
  gl_actor_id holder = 0;
  gl_resource_id resource = 0;
  gl_end end = GL_END_SEND;
  bool operator==(const unused_copy &) const = default;
};

// One deadlock: actors that can never proceed, grouped by who waits for whom.
//
// Which blocked actors form one: those that no chain of releasers leads out of, where releasers
// are the actors named by a wait's targets (exact and inferred holders, owners, joined actors).
// An unknown holder is a way out. An unused handle (unused_copy) is not, if the stuck actors
// form a cycle: the deadlock is then reported, probable unless its edges are exact, with the
// unused copies held by actors not stuck in it as `unless`. Without such a cycle, an unused copy
// is a way out as an unknown holder is. When the whole process is stuck (global), every blocked
// actor is deadlocked.
struct deadlock_group {
  // In wait order: cycle[i] waits for cycle[i+1], the last for the first. It starts at the
  // oldest wait of the cycle that is not a join: the line to look at first. Unused copies close
  // it only when nothing else does (global deadlocks only).
  std::vector<gl_actor_id> cycle;
  // The cycle first, then the others blocked because of it: the oldest waits first, joins last.
  std::vector<gl_actor_id> members;
  bool definite = false; // no inferred holding among the members' waits, or the process is stuck
  bool global = false;   // every tracked actor is blocked
  // Probable only: unused copies, held by actors not stuck here, that are the cycle's only way
  // out ("unless 'main' uses its unused copy of ...").
  std::vector<unused_copy> unless;
};

class wait_graph {
public:
  void add_actor(gl_actor_id a, std::string name);
  void rename_actor(gl_actor_id a, std::string name);
  // Actor a runs on the thread whose kernel id is tid (owners watched by thread id).
  void set_thread(gl_actor_id a, int tid);
  void remove_actor(gl_actor_id a);
  // Removes every actor but `keep`, as if their threads had exited (a forked child has one thread).
  void remove_actors_except(gl_actor_id keep);
  const actor_info *actor(gl_actor_id a) const;
  // The actor's name, also for an actor that has exited (the last few thousand are remembered):
  // reports often speak of a message whose sender is gone.
  std::string name_of(gl_actor_id a) const;

  void add_resource(gl_resource_id r, const char *kind, std::string name, std::int64_t capacity);
  void remove_resource(gl_resource_id r);
  const resource_info *resource(gl_resource_id r) const;
  // delta is +1 (hold) or -1 (release).
  void hold(gl_resource_id r, gl_end end, gl_actor_id a, gl_holding how, int delta);
  void set_owner(gl_resource_id r, gl_actor_id owner);
  void guess_holders(gl_resource_id r);
  void watch_served(gl_resource_id r, const std::uint64_t *cell);
  void inherit(gl_resource_id r, gl_end end, gl_resource_id from);
  // The owner of r is read from *cell whenever the graph is analysed (gl_owner_watch).
  void watch_owner(gl_resource_id r, const gl_actor_id *cell);
  // The owner of r is the actor of the thread whose kernel id is in *cell (gl_owner_watch_tid).
  void watch_owner_tid(gl_resource_id r, const int *cell);
  // r's owner now: 0 when none or unknown (a thread that is not an actor); an actor that has
  // exited (not in the graph) when it never lets go.
  gl_actor_id owner_of(const resource_info &r) const noexcept;

  void begin_wait(gl_wait *w);
  void end_wait(gl_wait *w);
  // Waits that are blocked now (not released); the analysis also skips timed ones.
  std::size_t blocked_count() const noexcept { return blocked_; }
  // Changes on every mutation: a detector may skip a check when nothing changed.
  std::uint64_t version() const noexcept { return version_; }

  // Every actor that no live actor can release, grouped. untracked_threads: threads of the
  // process that are not actors exist, so "any actor" waits may be released by them and the
  // process is not globally stuck.
  std::vector<deadlock_group> find_deadlocks(bool untracked_threads) const;
  // Actors the wait of `a` can be released by (exited ones excluded; unknown holders and unused
  // copies not named).
  std::vector<gl_actor_id> releasers(gl_actor_id a) const;
  // Unused copies of the ends the wait of `a` waits on, held by actors other than `a`.
  std::vector<unused_copy> unused_copies(gl_actor_id a) const;
  // Every actor blocked in an unreleased wait, by actor id.
  std::vector<gl_actor_id> blocked_actors() const;
  // How many others were served while w waited: younger waits on the same resource served
  // before it, plus, for receive_from(x), what x delivered to others.
  std::uint64_t bypass_of(const gl_wait &w) const;
  // Names of who was served instead of w, most recent first.
  std::vector<gl_actor_id> served_instead_of(const gl_wait &w) const;
  std::size_t actor_count() const noexcept { return actors_.size(); }

private:
  struct edges;
  struct and_or;
  using resource_key = std::pair<gl_resource_id, int>; // a resource and the end waited on
  static std::vector<resource_key> keys_of(const gl_wait &w);
  void note_overtakes(const gl_wait &served);
  std::uint64_t served_outside(const gl_wait &w) const;
  bool is_blocked(const actor_info &a) const;
  void edges_of(gl_actor_id a, bool untracked, edges &e) const;
  std::size_t all_holders(gl_resource_id r, std::vector<gl_actor_id> &who,
                          std::vector<bool>::reference live) const;
  void holders_of(gl_actor_id self, const resource_info &r, gl_end end, std::size_t i,
                  edges &e) const;
  and_or build(bool untracked) const;
  // One component of the deadlocked actors (actor vertices of g): its group, or nothing if it is
  // not reported (see deadlock_group). strict/lenient: what progresses without / with unused
  // copies as a way out.
  std::optional<deadlock_group> group_of(const and_or &g, std::vector<std::size_t> component,
                                         const std::vector<bool> &strict,
                                         const std::vector<bool> &lenient) const;

  std::map<gl_actor_id, actor_info> actors_;
  std::map<gl_actor_id, std::string> exited_names_; // bounded: the most recent kExitedNamesKept
  std::unordered_map<int, gl_actor_id> by_tid_;     // live actors by kernel thread id
  // Exited actors by the thread id they had (an owner that never lets go); pruned to those
  // exited_names_ still remembers when it grows past twice that bound.
  std::unordered_map<int, gl_actor_id> exited_tids_;
  std::unordered_map<gl_resource_id, resource_info> resources_;
  std::map<resource_key, std::vector<gl_wait *>> waits_on_; // blocked waits by resource
  std::size_t blocked_ = 0;
  std::int64_t timers_pending_ = 0; // GL_HOLD_TIMER holdings: while any, nothing is global
  std::uint64_t version_ = 0;
};

} // namespace gridlock::inline GRIDLOCK_ABI::detail
