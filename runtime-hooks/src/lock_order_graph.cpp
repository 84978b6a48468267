#include "lock_order_graph.hpp"

#include "../symbolizer/symbolizer.hpp"
#include "report_writer.hpp"
#include "runtime.hpp"
#include <gridlock/detail/runtime_scope.hpp>

#include <gridlock/detail/blocking.hpp>
#include <gridlock/detail/futex.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <source_location>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gridlock::inline GRIDLOCK_ABI::detail::lock_order_graph {
namespace {

constexpr unsigned kHeld = 16;
constexpr std::size_t kSitesPerEdge = 4;
constexpr std::size_t kSeen = 32;
constexpr std::size_t kMaxLocks = std::size_t{1} << 16;
constexpr std::size_t kMaxEdges = std::size_t{1} << 18;

// ---- the calling thread's held locks (thread-local: no lock, no allocation) ---------------------

struct held_lock {
  const void *lock;
  const void *pc;
  gl_op op;
  unsigned short depth; // re-locks of a recursive lock (counted up to 65,535)
  bool tried;           // by a call that could not block for ever (a trylock, a timed lock)
};

struct thread_locks {
  // held[0, n): held now; held[n, top): let go of since they were pushed (mixed prediction's
  // "recently"): a release in stack order only lowers n, so keeping them costs nothing.
  std::array<held_lock, kHeld> held;
  unsigned n;
  unsigned top;
  std::array<std::uint64_t, kSeen> seen; // hashes of the site pairs this thread has recorded
};
// Initial-exec: one %fs-relative access, no __tls_get_addr call, on every lock and unlock (a
// library loaded at start-up, as the preload and a linked libgridlock are).
constinit thread_local thread_locks mine __attribute__((tls_model("initial-exec"))){};

// A hash of "lock taken at taken_pc while holding held, taken at held_pc".
std::uint64_t site_pair(const void *held, const void *held_pc, const void *taken,
                        const void *taken_pc) {
  std::uint64_t h = 0;
  for (const void *p : {held, held_pc, taken, taken_pc})
    h ^= reinterpret_cast<std::uintptr_t>(p) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

// Whether this thread has not recorded the pair yet (and now has).
bool first_time(std::uint64_t pair) {
  std::uint64_t &slot = mine.seen[pair % kSeen];
  if (slot == pair) return false;
  slot = pair;
  return true;
}

// A call site: a return address (an interposed lock call) or, tagged with bit 62 (no user-space
// address has it), a gridlock lock's std::source_location (a pointer to static storage).
constexpr std::uintptr_t kSourceTag = std::uintptr_t{1} << 62;
static_assert(sizeof(std::source_location) == sizeof(void *) &&
              std::is_trivially_copyable_v<std::source_location>);

const void *site_of(const std::source_location &where) {
  return reinterpret_cast<const void *>(std::bit_cast<std::uintptr_t>(where) | kSourceTag);
}

// The site's line: a tagged site's source_location, a return address through the symbolizer.
gl_location site_location(const void *site) {
  const auto v = reinterpret_cast<std::uintptr_t>(site);
  if (!(v & kSourceTag)) return symbolizer::resolve(v);
  return to_gl(std::bit_cast<std::source_location>(v & ~kSourceTag));
}

// Where the calling thread takes a lock at `site`, as reported: the site's own line when it is
// the program's; else (std::lock_guard's call of gridlock::mutex::lock, an interposed call) the
// program's frame on the stack.
gl_location acquisition_line(const void *site) {
  const gl_location l = site_location(site);
  return (reinterpret_cast<std::uintptr_t>(site) & kSourceTag) &&
                 symbolizer::programs_source(l.file)
             ? l
             : symbolizer::first_user_frame();
}

// A gridlock resource (a wait on it, or a gridlock lock) as a vertex beside the program's locks:
// never a lock's address (the upper half of the address space is the kernel's).
const void *wait_vertex(gl_resource_id r) {
  return reinterpret_cast<const void *>(~static_cast<std::uintptr_t>(r));
}
bool is_wait_vertex(const void *v) { return reinterpret_cast<std::intptr_t>(v) < 0; }
gl_resource_id resource_of_vertex(const void *v) {
  return static_cast<gl_resource_id>(~reinterpret_cast<std::uintptr_t>(v));
}

// ---- the process's graph
// -------------------------------------------------------------------------

bool shared(gl_op op) { return op == GL_OP_READ_LOCK; }

// One acquisition of b while holding a, at one pair of call sites - or (mixed prediction) a wait
// on resource b while holding lock a, or a lock b taken before serving a wait on resource a.
struct instance {
  enum class step : unsigned char { lock, wait, serve };
  step how = step::lock;
  const void *held_pc = nullptr; // a's acquisition (none for a served resource)
  gl_op held_op = GL_OP_LOCK;
  gl_location where{}; // b's acquisition or wait: the program's frame
  gl_op op = GL_OP_LOCK;
  gl_actor_id actor = 0;
};

struct edge {
  std::vector<instance> instances; // at most kSitesPerEdge
  std::vector<const void *> gates; // held at every acquisition seen (sorted)
  std::set<gl_actor_id> actors;    // the threads that took it
};

// A cycle to report, copied out of the graph: edges[i] goes from locks[i] to locks[i + 1].
struct cycle {
  std::vector<const void *> locks;
  std::vector<instance> edges;
};

class graph {
public:
  static graph &get() {
    static graph *g = new graph; // never destroyed: threads take locks during exit
    return *g;
  }

  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

  // Records a -> b; returns the cycle it closes, if one is to be reported. Beyond kMaxLocks
  // locks or kMaxEdges edges, new ones are not recorded (the graph's memory is bounded).
  std::optional<cycle> add(const void *a, const void *b, const instance &in,
                           std::vector<const void *> gates) {
    std::lock_guard lk(mu_);
    if (!room_for(a) || !room_for(b)) return std::nullopt;
    const std::size_t va = vertex(a), vb = vertex(b);
    if (edges_.size() >= kMaxEdges && !edges_.count({va, vb})) return std::nullopt;
    auto [it, created] = edges_.try_emplace({va, vb});
    edge &e = it->second;
    bool changed = created;
    if (created) {
      boost::add_edge(va, vb, g_);
      e.gates = std::move(gates);
    } else {
      const std::size_t before = e.gates.size();
      std::vector<const void *> common;
      std::set_intersection(e.gates.begin(), e.gates.end(), gates.begin(), gates.end(),
                            std::back_inserter(common));
      e.gates = std::move(common);
      changed = e.gates.size() != before;
    }
    changed = e.actors.insert(in.actor).second || changed;
    if (e.instances.size() < kSitesPerEdge) e.instances.push_back(in);
    if (!changed) return std::nullopt;
    return closed_by(va, vb);
  }

private:
  using digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

  bool room_for(const void *lock) const {
    return locks_.size() < kMaxLocks || vertices_.count(lock) != 0;
  }

  std::size_t vertex(const void *lock) {
    auto [it, created] = vertices_.try_emplace(lock, locks_.size());
    if (created) {
      locks_.push_back(lock);
      boost::add_vertex(g_);
    }
    return it->second;
  }

  // The shortest cycle through a -> b (a path from b back to a), if it is to be reported.
  std::optional<cycle> closed_by(std::size_t a, std::size_t b) {
    std::vector<std::size_t> pred(boost::num_vertices(g_), SIZE_MAX);
    pred[b] = b;
    boost::breadth_first_search(
        g_, b,
        boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(
            boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g_)),
            boost::on_tree_edge()))));
    if (pred[a] == SIZE_MAX) return std::nullopt;
    std::vector<std::size_t> path{a}; // a, ..., b (walking back from a to b), then reversed
    for (std::size_t v = a; v != b; v = pred[v]) path.push_back(pred[v]);
    std::reverse(path.begin(), path.end()); // b, ..., a
    path.insert(path.begin(), a);           // a, b, ..., a
    path.pop_back();                        // a, b, ...: each to the next, the last to a
    return reportable(path);
  }

  std::optional<cycle> reportable(const std::vector<std::size_t> &path) {
    std::vector<const edge *> es;
    for (std::size_t i = 0; i < path.size(); ++i)
      es.push_back(&edges_.at({path[i], path[(i + 1) % path.size()]}));
    std::vector<gl_actor_id> threads; // one per edge, all different
    if (!distinct_threads(es, threads)) return std::nullopt;
    std::vector<const void *> common = es.front()->gates;
    for (const edge *e : es) {
      std::vector<const void *> next;
      std::set_intersection(common.begin(), common.end(), e->gates.begin(), e->gates.end(),
                            std::back_inserter(next));
      common = std::move(next);
    }
    if (!common.empty()) return std::nullopt;     // a gate lock orders them
    for (std::size_t i = 0; i < es.size(); ++i) { // lock i+1: taken by edge i, held by edge i+1
      const edge *in = es[i], *out = es[(i + 1) % es.size()];
      if (shared(in->instances.front().op) && shared(out->instances.front().held_op))
        return std::nullopt;
    }
    cycle c;
    for (std::size_t v : path) c.locks.push_back(locks_[v]);
    std::vector<const void *> key = c.locks;
    std::sort(key.begin(), key.end());
    if (!reported_.insert(key).second) return std::nullopt;
    for (std::size_t i = 0; i < es.size(); ++i) c.edges.push_back(taken_by(*es[i], threads[i]));
    return c;
  }

  // Gives each edge of a cycle a thread that took it, all different (a thread waits at one place
  // at a time: a cycle two of whose edges only one thread took cannot deadlock). False if none.
  // Kuhn's augmenting paths: polynomial in the cycle's length and threads.
  static bool distinct_threads(const std::vector<const edge *> &es,
                               std::vector<gl_actor_id> &chosen) {
    std::map<gl_actor_id, std::size_t> given_to; // thread -> edge
    chosen.assign(es.size(), 0);
    std::function<bool(std::size_t, std::set<gl_actor_id> &)> give =
        [&](std::size_t e, std::set<gl_actor_id> &tried) {
          for (gl_actor_id a : es[e]->actors) {
            if (!tried.insert(a).second) continue;
            const auto it = given_to.find(a);
            if (it != given_to.end() && !give(it->second, tried)) continue;
            given_to[a] = e;
            chosen[e] = a;
            return true;
          }
          return false;
        };
    for (std::size_t e = 0; e < es.size(); ++e) {
      std::set<gl_actor_id> tried;
      if (!give(e, tried)) return false;
    }
    return true;
  }

  // The edge's acquisition by `actor` (the first kept if its own was not).
  static instance taken_by(const edge &e, gl_actor_id actor) {
    for (const instance &in : e.instances)
      if (in.actor == actor) return in;
    instance in = e.instances.front();
    in.actor = actor;
    return in;
  }

  futex_mutex mu_; // a leaf: nothing else is taken under it
  digraph g_;
  std::unordered_map<const void *, std::size_t> vertices_;
  std::vector<const void *> locks_; // by vertex
  std::map<std::pair<std::size_t, std::size_t>, edge> edges_;
  std::set<std::vector<const void *>> reported_; // cycles reported, by their sorted locks
};

// ---- the finding
// ---------------------------------------------------------------------------------

std::string at(const gl_location &l) {
  return l.file ? file_and_line(l.file, l.line) : "an unknown line";
}

std::string lock_name(const void *lock, gl_op op) {
  if (is_wait_vertex(lock)) return runtime::get().resource_name(resource_of_vertex(lock));
  return symbolizer::object_name(lock, op == GL_OP_LOCK ? "mutex" : "rwlock");
}

std::string kind_of(const void *lock, gl_op op) {
  if (is_wait_vertex(lock)) return runtime::get().resource_kind(resource_of_vertex(lock));
  return op == GL_OP_READ_LOCK || op == GL_OP_WRITE_LOCK ? "rwlock" : "mutex";
}

// What the actor of one step of the cycle did: take `taken` holding `held`, wait on it holding
// `held`, or take it before serving `held`.
std::string step_note(const instance &in, const std::string &held, const std::string &taken) {
  if (in.how == instance::step::serve)
    return "takes '" + taken + "' before it serves '" + held + "': had the waiter held '" + taken +
           "' first, it would wait for it for ever";
  // Where the held lock was taken, when that is the program's line (not std::lock_guard's).
  const gl_location held_site = site_location(in.held_pc);
  const std::string held_at =
      symbolizer::programs_source(held_site.file) ? " (taken at " + at(held_site) + ")" : "";
  if (in.how == instance::step::wait)
    return "waits on '" + taken + "' while holding '" + held + "'" + held_at;
  return "takes '" + taken + "' while holding '" + held + "'" + held_at;
}

void report(const cycle &c) {
  report::finding f;
  f.kind = "lock-order-inversion";
  f.certainty = "possible";
  f.action = "reported";
  std::vector<std::string> names;
  std::vector<gl_op> ops; // how each lock is taken (its kind)
  for (std::size_t i = 0; i < c.locks.size(); ++i) {
    ops.push_back(c.edges[(i + c.locks.size() - 1) % c.locks.size()].op);
    names.push_back(lock_name(c.locks[i], ops.back()));
  }
  std::vector<gl_actor_id> actors;
  std::string steps;
  for (std::size_t i = 0; i < c.edges.size(); ++i) {
    const instance &in = c.edges[i];
    const std::string &held = names[i], &taken = names[(i + 1) % names.size()];
    report::actor_entry a;
    a.op = gl_op_name(in.op);
    a.resource = taken;
    a.where = to_location(in.where);
    a.note = step_note(in, held, taken);
    f.actors.push_back(std::move(a));
    actors.push_back(in.actor);
    f.resources.push_back({held, kind_of(c.locks[i], ops[i]), std::nullopt});
  }
  std::string order;
  for (const std::string &n : names) order += "'" + n + "' -> ";
  const bool mixed = std::any_of(c.edges.begin(), c.edges.end(),
                                 [](const instance &in) { return in.how != instance::step::lock; });
  f.summary = order + "'" + names.front() +
              (mixed ? "': a lock held across a wait whose server takes that lock before serving "
                       "it; had the waiter locked first, neither could go on"
                     : "': taken in opposite orders; threads that take them at the same time can "
                       "deadlock");
  runtime::get().queue_finding(std::move(f), actors);
}

// The locks the calling thread holds besides held[except], sorted: the gates of an edge.
std::vector<const void *> gates_besides(unsigned except) {
  std::vector<const void *> gates;
  for (unsigned i = 0; i < mine.n; ++i)
    if (i != except) gates.push_back(mine.held[i].lock);
  std::sort(gates.begin(), gates.end());
  return gates;
}

// Records edge a -> b and reports the cycle it closes, if any.
void add_edge(const void *a, const void *b, const instance &in, std::vector<const void *> gates) {
  try {
    if (const std::optional<cycle> c = graph::get().add(a, b, in, std::move(gates))) report(*c);
  } catch (const std::exception &) {
    // Out of memory or threads: the edge is lost, the host carries on.
  }
}

// The slow path: a pair of sites this thread has not recorded before.
[[gnu::noinline]] void record(const held_lock &h, const void *lock, gl_op op, const void *pc,
                              unsigned held_index) {
  const runtime_scope inside; // the graph's lock, the symbolizer's and the hooks pass through
  instance in;
  in.held_pc = h.pc;
  in.held_op = h.op;
  in.op = op;
  in.actor = gl_actor_self();
  in.where = acquisition_line(pc);
  add_edge(h.lock, lock, in, gates_besides(held_index));
}

} // namespace

void acquired(const void *lock, gl_op op, const void *pc, bool tried) noexcept {
  thread_locks &t = mine;
  for (unsigned i = 0; i < t.n; ++i)
    if (t.held[i].lock == lock) {
      if (t.held[i].depth != 0xffff) ++t.held[i].depth;
      return;
    }
  for (unsigned i = 0; i < t.n && !tried; ++i)
    if (first_time(site_pair(t.held[i].lock, t.held[i].pc, lock, pc)))
      record(t.held[i], lock, op, pc, i);
  if (t.n == kHeld) return;
  t.held[t.n++] = {lock, pc, op, 1, tried};
  if (t.n > t.top) t.top = t.n;
}

void before_fork() { graph::get().lock(); }
void after_fork() { graph::get().unlock(); }

void released(const void *lock) noexcept {
  thread_locks &t = mine;
  for (unsigned i = t.n; i-- > 0;) {
    if (t.held[i].lock != lock) continue;
    if (t.held[i].depth > 1) {
      --t.held[i].depth;
      return;
    }
    if (i + 1 != t.n) { // out of stack order: it moves to the top of the held ones first
      const held_lock let_go = t.held[i];
      std::copy(t.held.begin() + i + 1, t.held.begin() + t.n, t.held.begin() + i);
      t.held[t.n - 1] = let_go;
    }
    --t.n; // the entry stays above n: recently let go of
    return;
  }
}

bool holds_locks() noexcept { return mine.n != 0; }

void starting_thread() noexcept { mine.top = mine.n; }

void waiting(const gl_target *targets, std::size_t n, gl_op op, const gl_location &where) noexcept {
  // The wait's site as a pseudo call site: its file name's address and line.
  const auto *site = reinterpret_cast<const void *>(reinterpret_cast<std::uintptr_t>(where.file) +
                                                    static_cast<std::uintptr_t>(where.line));
  for (std::size_t k = 0; k < n; ++k) {
    if (targets[k].resource == 0) continue;
    const void *w = wait_vertex(targets[k].resource);
    for (unsigned i = 0; i < mine.n; ++i) {
      const held_lock &h = mine.held[i];
      if (!first_time(site_pair(h.lock, h.pc, w, site))) continue;
      const runtime_scope inside;
      add_edge(h.lock, w, instance{instance::step::wait, h.pc, h.op, where, op, gl_actor_self()},
               gates_besides(i));
    }
  }
}

void serving(const gl_target *targets, std::size_t n) noexcept {
  const thread_locks &t = mine;
  for (std::size_t k = 0; k < n; ++k) {
    if (targets[k].resource == 0) continue;
    const void *w = wait_vertex(targets[k].resource);
    for (unsigned r = t.n; r < t.top; ++r) {
      const held_lock &m = t.held[r];
      if (m.tried || !first_time(site_pair(w, nullptr, m.lock, m.pc))) continue;
      const runtime_scope inside;
      const gl_location taken_at = site_location(m.pc);
      add_edge(
          w, m.lock,
          instance{instance::step::serve, nullptr, GL_OP_CUSTOM, taken_at, m.op, gl_actor_self()},
          {});
    }
  }
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail::lock_order_graph

namespace gridlock::inline GRIDLOCK_ABI::detail {

// A gridlock lock is the vertex of its resource: the same vertex as a wait on it (mixed edges).
void lock_taken(gl_resource_id r, const std::source_location &where, bool tried) noexcept {
  if (r != 0)
    lock_order_graph::acquired(lock_order_graph::wait_vertex(r), GL_OP_LOCK,
                               lock_order_graph::site_of(where), tried);
}

void lock_let_go(gl_resource_id r) noexcept {
  if (r != 0) lock_order_graph::released(lock_order_graph::wait_vertex(r));
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
