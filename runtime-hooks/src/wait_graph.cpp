#include "wait_graph.hpp"
#include <gridlock/detail/abi.hpp>

#include "shortest_cycle.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <deque>
#include <limits>

namespace gridlock::inline GRIDLOCK_ABI::detail {

// Boost.Graph stays in this namespace.
namespace bgl {
using digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using ugraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using vertex = digraph::vertex_descriptor;

} // namespace bgl

// The releasers of one blocked actor's wait, one entry per target.
struct wait_graph::edges {
  std::vector<std::vector<gl_actor_id>> per_target; // actors that can release each target
  std::vector<std::vector<gl_actor_id>> unused;     // holders of unused copies, per target
  std::vector<bool> live_target;                    // target releasable by an unknown live actor
  // Per target, how many of its releasers must progress: 1 for an OR target (any holder),
  // all of them for ALL_HOLDERS, one more if a holder has exited (it never lets go).
  std::vector<std::size_t> need;
  bool inferred = false; // some holder is known only by use
};

// The AND-OR graph of the blocked waits. Vertices: 0..n-1 actors, then one target vertex per
// target of each blocked wait; edges actor -> target -> releasing actor. A vertex progresses
// once `need` of its successors have (0: at once).
struct wait_graph::and_or {
  std::vector<gl_actor_id> ids; // actor vertex i is ids[i]
  std::unordered_map<gl_actor_id, std::size_t> index;
  bgl::digraph g;
  std::vector<std::size_t> need;
  std::vector<bool> has_unused; // target vertex: an unused copy could release it
  std::vector<bool> blocked, inferred;
  std::vector<std::vector<gl_actor_id>> releasers; // per actor vertex
  std::vector<std::vector<gl_actor_id>> unused;    // per actor vertex: holders of unused copies
  bool any_unused = false;
  bool global = false; // every tracked actor is blocked and no other thread exists

  // What can progress, propagated backwards from the vertices that can at once.
  // `unused_live`: an unused copy counts as a way out, as an unknown holder does.
  std::vector<bool> progress(bool unused_live) const {
    std::vector<std::size_t> left = need;
    std::vector<bool> done(left.size(), false);
    std::deque<bgl::vertex> work;
    for (bgl::vertex v = 0; v < left.size(); ++v) {
      if (unused_live && has_unused[v]) left[v] = 0;
      if (left[v] == 0) { // running, an AND over nothing, a target someone unseen can serve
        done[v] = true;
        work.push_back(v);
      }
    }
    while (!work.empty()) {
      const bgl::vertex v = work.front();
      work.pop_front();
      for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
        const bgl::vertex u = boost::source(*it, g);
        if (done[u] || left[u] == 0) continue;
        if (--left[u] == 0) {
          done[u] = true;
          work.push_back(u);
        }
      }
    }
    return done;
  }
};

void wait_graph::add_actor(gl_actor_id a, std::string name) {
  actors_[a].name = std::move(name);
  ++version_;
}

void wait_graph::rename_actor(gl_actor_id a, std::string name) {
  if (auto it = actors_.find(a); it != actors_.end()) it->second.name = std::move(name);
}

void wait_graph::set_thread(gl_actor_id a, int tid) {
  auto it = actors_.find(a);
  if (it == actors_.end()) return;
  it->second.tid = tid;
  by_tid_[tid] = a;
  exited_tids_.erase(tid); // the kernel reuses thread ids
}

void wait_graph::remove_actor(gl_actor_id a) {
  auto it = actors_.find(a);
  if (it == actors_.end()) return;
  if (const int tid = it->second.tid; tid != 0) {
    if (auto t = by_tid_.find(tid); t != by_tid_.end() && t->second == a) by_tid_.erase(t);
    exited_tids_[tid] = a;
    if (exited_tids_.size() > 2 * kExitedNamesKept)
      std::erase_if(exited_tids_, [&](const auto &e) { return !exited_names_.count(e.second); });
  }
  for (const auto &[r, end] : it->second.holds)
    if (auto res = resources_.find(r); res != resources_.end()) res->second.drop_holder(end, a);
  for (const auto &cell : it->second.stats->shared) // read locks it never released
    if (const gl_resource_id r = cell.load(std::memory_order_relaxed); r != 0)
      if (auto res = resources_.find(r); res != resources_.end())
        res->second.more().exited_shared_holders.push_back(a);
  if (it->second.wait) end_wait(it->second.wait);
  exited_names_[a] = std::move(it->second.name);
  if (exited_names_.size() > kExitedNamesKept) exited_names_.erase(exited_names_.begin());
  actors_.erase(it);
  ++version_;
}

void wait_graph::remove_actors_except(gl_actor_id keep) {
  std::vector<gl_actor_id> gone;
  for (const auto &[a, info] : actors_)
    if (a != keep) gone.push_back(a);
  for (gl_actor_id a : gone) remove_actor(a);
}

std::string wait_graph::name_of(gl_actor_id a) const {
  if (const actor_info *info = actor(a)) return info->name;
  if (auto it = exited_names_.find(a); it != exited_names_.end()) return it->second;
  return "actor-" + std::to_string(a);
}

const actor_info *wait_graph::actor(gl_actor_id a) const {
  auto it = actors_.find(a);
  return it == actors_.end() ? nullptr : &it->second;
}

void wait_graph::add_resource(gl_resource_id r, const char *kind, std::string name,
                              std::int64_t capacity) {
  auto &res = resources_[r];
  res.kind = kind;
  res.name = std::move(name);
  res.capacity = capacity;
  ++version_;
}

void wait_graph::remove_resource(gl_resource_id r) {
  resources_.erase(r);
  ++version_;
}

const resource_info *wait_graph::resource(gl_resource_id r) const {
  auto it = resources_.find(r);
  return it == resources_.end() ? nullptr : &it->second;
}

void wait_graph::hold(gl_resource_id r, gl_end end, gl_actor_id a, gl_holding how, int delta) {
  auto res = resources_.find(r);
  if (res == resources_.end()) return;
  ++version_;
  if (how == GL_HOLD_UNKNOWN || how == GL_HOLD_TIMER || a == 0) {
    res->second.unknown[end] += delta;
    if (how == GL_HOLD_TIMER) timers_pending_ += delta;
    return;
  }
  auto act = actors_.find(a);
  if (act == actors_.end()) return; // exited: it held nothing any more
  if (how == GL_HOLD_UNUSED && (res->second.maker == 0 || res->second.maker == a)) {
    res->second.maker = a;
    res->second.maker_unused[end] += delta;
    return;
  }
  auto &c = res->second.holder(end, a);
  (how == GL_HOLD_EXACT ? c.exact : how == GL_HOLD_UNUSED ? c.unused : c.inferred) += delta;
  if (!c.any()) {
    res->second.drop_holder(end, a);
    act->second.holds.erase({r, end});
  } else {
    act->second.holds.insert({r, end});
  }
}

void wait_graph::set_owner(gl_resource_id r, gl_actor_id owner) {
  if (auto res = resources_.find(r); res != resources_.end()) res->second.owner = owner;
  ++version_;
}

void wait_graph::guess_holders(gl_resource_id r) {
  if (auto res = resources_.find(r); res != resources_.end()) res->second.more().guessed = true;
  ++version_;
}

void wait_graph::inherit(gl_resource_id r, gl_end end, gl_resource_id from) {
  if (auto res = resources_.find(r); res != resources_.end())
    res->second.more().inherits[end] = from;
  ++version_;
}

void wait_graph::watch_served(gl_resource_id r, const std::uint64_t *cell) {
  if (auto res = resources_.find(r); res != resources_.end()) res->second.more().served_cell = cell;
  ++version_;
}

void wait_graph::watch_owner_tid(gl_resource_id r, const int *cell) {
  if (auto res = resources_.find(r); res != resources_.end()) res->second.owner_tid_cell = cell;
}

gl_actor_id wait_graph::owner_of(const resource_info &r) const noexcept {
  if (!r.owner_tid_cell)
    return r.owner_cell ? __atomic_load_n(r.owner_cell, __ATOMIC_RELAXED) : r.owner;
  const int tid = __atomic_load_n(r.owner_tid_cell, __ATOMIC_RELAXED);
  if (tid <= 0) return 0;
  if (auto it = by_tid_.find(tid); it != by_tid_.end()) return it->second;
  if (auto it = exited_tids_.find(tid); it != exited_tids_.end()) return it->second;
  return 0; // a thread that is not an actor: unknown
}

void wait_graph::watch_owner(gl_resource_id r, const gl_actor_id *cell) {
  if (auto res = resources_.find(r); res != resources_.end()) res->second.owner_cell = cell;
  ++version_;
}

std::vector<wait_graph::resource_key> wait_graph::keys_of(const gl_wait &w) {
  std::vector<resource_key> keys;
  for (const gl_target &t : w.targets)
    if (t.resource != 0) keys.emplace_back(t.resource, t.kind == GL_TARGET_HOLDERS ? t.end : -1);
  return keys;
}

// `served` ended released: every older wait still blocked on its resource was overtaken. A wait
// on several resources (a select) says nothing: which one served it is not known, and counting
// them all would have a select woken by its ticker overtake every waiter of its other channels.
void wait_graph::note_overtakes(const gl_wait &served) {
  std::vector<resource_key> keys = keys_of(served);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.size() != 1) return;
  for (const resource_key &k : keys) {
    auto it = waits_on_.find(k);
    if (it == waits_on_.end()) continue;
    for (gl_wait *v : it->second) {
      if (v == &served || v->seq > served.seq || v->released.load(std::memory_order_acquire))
        continue;
      ++v->overtakes;
      v->served_instead.push_back(served.actor);
      if (v->served_instead.size() > kServedInsteadKept)
        v->served_instead.erase(v->served_instead.begin());
    }
  }
}

// Services that bypass w without a wait of their own, counted outside the graph: for
// receive_from(x), x's deliveries; for a wait on a resource that counts its services
// (gl_served_watch), that count. Nothing to count: 0.
std::uint64_t wait_graph::served_outside(const gl_wait &w) const {
  if (w.targets.empty()) return 0;
  if (w.op == GL_OP_RECEIVE_FROM) {
    const actor_info *x = actor(w.targets[0].actor);
    return x ? x->stats->delivered.load(std::memory_order_relaxed) : w.served_at_begin;
  }
  for (const gl_target &t : w.targets)
    if (const resource_info *r = resource(t.resource); r && r->served_cell())
      return __atomic_load_n(r->served_cell(), __ATOMIC_RELAXED);
  return 0;
}

std::uint64_t wait_graph::bypass_of(const gl_wait &w) const {
  return w.overtakes + (served_outside(w) - w.served_at_begin);
}

std::vector<gl_actor_id> wait_graph::served_instead_of(const gl_wait &w) const {
  std::vector<gl_actor_id> out(w.served_instead.rbegin(), w.served_instead.rend());
  if (w.op == GL_OP_RECEIVE_FROM && !w.targets.empty())
    if (const actor_info *x = actor(w.targets[0].actor)) {
      const actor_stats &s = *x->stats;
      const unsigned next = s.next.load(std::memory_order_relaxed);
      for (unsigned i = 1; i <= s.recent.size(); ++i) {
        const gl_actor_id to =
            s.recent[(next - i) % s.recent.size()].load(std::memory_order_relaxed);
        if (to != 0 && to != w.actor && std::find(out.begin(), out.end(), to) == out.end())
          out.push_back(to);
      }
    }
  return out;
}

void wait_graph::begin_wait(gl_wait *w) {
  auto &a = actors_[w->actor];
  a.wait = w;
  for (const resource_key &k : keys_of(*w)) waits_on_[k].push_back(w);
  w->served_at_begin = served_outside(*w);
  ++blocked_;
  ++version_;
}

void wait_graph::end_wait(gl_wait *w) {
  auto it = actors_.find(w->actor);
  if (it == actors_.end() || it->second.wait != w) return;
  it->second.wait = nullptr;
  for (const resource_key &k : keys_of(*w)) {
    auto &v = waits_on_[k];
    v.erase(std::remove(v.begin(), v.end(), w), v.end());
    if (v.empty()) waits_on_.erase(k);
  }
  if (w->released.load(std::memory_order_acquire)) note_overtakes(*w);
  --blocked_;
  ++version_;
}

bool wait_graph::is_blocked(const actor_info &a) const {
  const gl_wait *w = a.wait;
  if (!w || w->timed || w->released.load(std::memory_order_acquire)) return false;
  // A join is released by its thread's exit.
  return !(w->op == GL_OP_JOIN && !w->targets.empty() && !actors_.count(w->targets[0].actor));
}

// Fills e (reused across calls: its vectors keep their capacity, so a full analysis allocates
// per target only while the largest wait so far grows).
void wait_graph::edges_of(gl_actor_id self, bool untracked, edges &e) const {
  const gl_wait &w = *actors_.at(self).wait;
  const std::size_t n = w.targets.size();
  e.per_target.resize(n);
  e.unused.resize(n);
  e.live_target.assign(n, false);
  e.need.assign(n, 1);
  e.inferred = false;
  for (std::size_t i = 0; i < n; ++i) {
    const gl_target &t = w.targets[i];
    std::vector<gl_actor_id> &who = e.per_target[i], &unused = e.unused[i];
    who.clear();
    unused.clear();
    switch (t.kind) {
    case GL_TARGET_ACTOR:
      if (actors_.count(t.actor)) who.push_back(t.actor);
      break;
    case GL_TARGET_HOLDERS: {
      const resource_info *r = resource(t.resource);
      if (!r) {
        e.live_target[i] = true;
        break;
      }
      // The resource's own holders, then those of what it inherits from (a context's parents).
      for (std::size_t depth = 0; r && depth < kInheritDepth; ++depth) {
        holders_of(self, *r, t.end, i, e);
        r = r->inherits(t.end) ? resource(r->inherits(t.end)) : nullptr;
      }
      if (r) e.live_target[i] = true; // deeper than we follow: assume a way out
      break;
    }
    case GL_TARGET_OWNER: {
      const resource_info *r = resource(t.resource);
      const gl_actor_id owner = r ? owner_of(*r) : 0;
      // A C library's lock read by thread id names the waiter itself between the moment it is
      // taken and the end of the wait: it has the lock (a relock waits on ACTOR self instead).
      if (owner == 0 || (owner == self && r->owner_tid_cell))
        e.live_target[i] = true;
      else if (actors_.count(owner))
        who.push_back(owner);
      break;
    }
    case GL_TARGET_ANY_ACTOR:
      e.live_target[i] = untracked;
      for (const auto &[a, info] : actors_)
        if (a != self) who.push_back(a);
      break;
    case GL_TARGET_ALL_HOLDERS: e.need[i] = all_holders(t.resource, who, e.live_target[i]); break;
    }
    if (e.live_target[i]) e.need[i] = 0;
  }
}

// The holders of r's `end`, for target i of self's wait: known ones into e.per_target[i], those
// of unused copies into e.unused[i]; an unknown one makes the target live.
void wait_graph::holders_of(gl_actor_id self, const resource_info &r, gl_end end, std::size_t i,
                            edges &e) const {
  std::vector<gl_actor_id> &who = e.per_target[i], &unused = e.unused[i];
  if (r.unknown[end] > 0) e.live_target[i] = true; // known holders are still named, for the report
  e.inferred = e.inferred || r.guessed();
  for (const auto &[a, c] : r.holders[end]) {
    if (c.exact + c.inferred > 0) {
      if (std::find(who.begin(), who.end(), a) == who.end()) who.push_back(a);
      if (c.exact <= 0) e.inferred = true;
    } else if (c.unused > 0 && a != self) {
      unused.push_back(a);
    }
  }
  if (r.maker_unused[end] > 0 && r.maker != self && actors_.count(r.maker) &&
      std::find(who.begin(), who.end(), r.maker) == who.end())
    unused.push_back(r.maker);
}

// The owner and the shared holders of r, into `who`; how many of them must let go (an owner
// that has exited never does: one more than can be met). live: a holder gridlock cannot name.
std::size_t wait_graph::all_holders(gl_resource_id r, std::vector<gl_actor_id> &who,
                                    std::vector<bool>::reference live) const {
  const resource_info *res = resource(r);
  if (!res) {
    live = true;
    return 0;
  }
  std::size_t gone = res->exited_shared_count();
  if (const gl_actor_id owner = owner_of(*res); owner != 0) {
    if (actors_.count(owner))
      who.push_back(owner);
    else
      ++gone;
  }
  for (const auto &[a, info] : actors_) {
    const actor_stats &s = *info.stats;
    if (s.shared_overflow.load(std::memory_order_relaxed) != 0) live = true;
    for (const auto &cell : s.shared)
      if (cell.load(std::memory_order_relaxed) == r) {
        if (std::find(who.begin(), who.end(), a) == who.end()) who.push_back(a);
        break;
      }
  }
  return who.size() + gone;
}

std::vector<gl_actor_id> wait_graph::releasers(gl_actor_id a) const {
  std::vector<gl_actor_id> out;
  const actor_info *info = actor(a);
  if (!info || !info->wait) return out;
  edges e;
  edges_of(a, false, e);
  for (const auto &who : e.per_target) out.insert(out.end(), who.begin(), who.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<unused_copy> wait_graph::unused_copies(gl_actor_id a) const {
  std::vector<unused_copy> out;
  const actor_info *info = actor(a);
  if (!info || !info->wait) return out;
  edges e;
  edges_of(a, false, e);
  for (std::size_t t = 0; t < e.unused.size(); ++t) {
    const gl_target &target = info->wait->targets[t];
    for (gl_actor_id holder : e.unused[t]) {
      const unused_copy u{holder, target.resource, target.end};
      if (std::find(out.begin(), out.end(), u) == out.end()) out.push_back(u);
    }
  }
  return out;
}

std::vector<gl_actor_id> wait_graph::blocked_actors() const {
  std::vector<gl_actor_id> out;
  for (const auto &[id, a] : actors_)
    if (a.wait && !a.wait->released.load(std::memory_order_acquire)) out.push_back(id);
  return out;
}

wait_graph::and_or wait_graph::build(bool untracked) const {
  and_or g;
  for (const auto &[id, a] : actors_) {
    g.index[id] = g.ids.size();
    g.ids.push_back(id);
  }
  const std::size_t n = g.ids.size();
  g.g = bgl::digraph(n);
  g.need.assign(n, 0);
  g.has_unused.assign(n, false);
  g.blocked.assign(n, false);
  g.inferred.assign(n, false);
  g.releasers.resize(n);
  g.unused.resize(n);
  std::size_t blocked_total = 0;
  edges e; // reused for every actor
  for (std::size_t i = 0; i < n; ++i) {
    const actor_info &a = actors_.at(g.ids[i]);
    if (!is_blocked(a)) continue;
    g.blocked[i] = true;
    ++blocked_total;
    edges_of(g.ids[i], untracked, e);
    g.inferred[i] = e.inferred;
    g.need[i] = a.wait->all ? e.per_target.size() : 1;
    for (std::size_t t = 0; t < e.per_target.size(); ++t) {
      const bgl::vertex tv = boost::add_vertex(g.g);
      g.need.push_back(e.need[t]); // 0 if live: releasable by someone unseen
      g.has_unused.push_back(!e.unused[t].empty());
      g.any_unused = g.any_unused || !e.unused[t].empty();
      boost::add_edge(i, tv, g.g);
      for (gl_actor_id r : e.per_target[t]) {
        boost::add_edge(tv, g.index.at(r), g.g);
        g.releasers[i].push_back(r);
      }
      g.unused[i].insert(g.unused[i].end(), e.unused[t].begin(), e.unused[t].end());
    }
  }
  g.global = !untracked && timers_pending_ <= 0 && blocked_total == n && n > 0;
  return g;
}

namespace {

// A vertex on some cycle of dg, if it has one: peel off vertices without an out-edge to the rest
// (they lie on no cycle), then walk out-edges among the rest until a vertex repeats.
std::optional<bgl::vertex> vertex_on_a_cycle(const bgl::digraph &dg) {
  const std::size_t n = boost::num_vertices(dg);
  std::vector<std::size_t> out(n);
  std::vector<bool> gone(n, false);
  std::deque<bgl::vertex> sinks;
  for (bgl::vertex v = 0; v < n; ++v)
    if ((out[v] = boost::out_degree(v, dg)) == 0) sinks.push_back(v);
  while (!sinks.empty()) {
    const bgl::vertex v = sinks.front();
    sinks.pop_front();
    gone[v] = true;
    for (auto [it, end] = boost::in_edges(v, dg); it != end; ++it)
      if (--out[boost::source(*it, dg)] == 0) sinks.push_back(boost::source(*it, dg));
  }
  const auto start = std::find(gone.begin(), gone.end(), false);
  if (start == gone.end()) return std::nullopt;
  std::vector<bool> seen(n, false);
  bgl::vertex v = start - gone.begin();
  while (!seen[v]) {
    seen[v] = true;
    for (auto [it, end] = boost::out_edges(v, dg); it != end; ++it)
      if (!gone[boost::target(*it, dg)]) {
        v = boost::target(*it, dg);
        break;
      }
  }
  return v;
}

// The shortest cycle of dg, whose vertices are numbered oldest wait first, tried from the oldest
// waits first (at most 16 starts: cliques of receive-from-any waits would make an exhaustive
// search quadratic), else through any vertex on a cycle.
std::vector<bgl::vertex> shortest_cycle(const bgl::digraph &dg) {
  std::vector<bgl::vertex> best;
  for (bgl::vertex s = 0; s < boost::num_vertices(dg) && s < 16; ++s) {
    auto cyc = graph::shortest_cycle_through(dg, s);
    if (!cyc.empty() && (best.empty() || cyc.size() < best.size())) best = std::move(cyc);
  }
  if (best.empty())
    if (const auto v = vertex_on_a_cycle(dg)) best = graph::shortest_cycle_through(dg, *v);
  return best;
}

} // namespace

std::vector<deadlock_group> wait_graph::find_deadlocks(bool untracked) const {
  const and_or g = build(untracked);
  const std::vector<bool> strict = g.progress(false);
  std::vector<std::size_t> dead; // actor vertices no chain of releasers leads out of
  for (std::size_t i = 0; i < g.ids.size(); ++i)
    if (g.blocked[i] && (g.global || !strict[i])) dead.push_back(i);
  if (dead.empty()) return {};
  // Components of the deadlocked actors, by who waits for whom.
  std::unordered_map<std::size_t, std::size_t> local;
  for (std::size_t k = 0; k < dead.size(); ++k) local[dead[k]] = k;
  // When the whole process is stuck, an actor with no known releaser joins the holders of the
  // unused copies of what it waits on: they are all the explanation there is.
  bgl::ugraph ug(dead.size());
  for (std::size_t k = 0; k < dead.size(); ++k) {
    const auto &to =
        g.global && g.releasers[dead[k]].empty() ? g.unused[dead[k]] : g.releasers[dead[k]];
    for (gl_actor_id r : to)
      if (auto it = local.find(g.index.at(r)); it != local.end())
        boost::add_edge(k, it->second, ug);
  }
  std::vector<int> comp(dead.size());
  const int ncomp = boost::connected_components(ug, comp.data());
  std::vector<std::vector<std::size_t>> components(ncomp);
  for (std::size_t k = 0; k < dead.size(); ++k) components[comp[k]].push_back(dead[k]);

  const std::vector<bool> lenient = g.any_unused ? g.progress(true) : strict;
  std::vector<deadlock_group> groups;
  for (auto &c : components)
    if (auto grp = group_of(g, std::move(c), strict, lenient)) groups.push_back(std::move(*grp));
  return groups;
}

std::optional<deadlock_group> wait_graph::group_of(const and_or &g,
                                                   std::vector<std::size_t> component,
                                                   const std::vector<bool> &strict,
                                                   const std::vector<bool> &lenient) const {
  const auto wait_of = [&](std::size_t i) { return actors_.at(g.ids[i]).wait; };
  // Oldest first, joins last: the order members are listed in and cycles are searched from.
  std::sort(component.begin(), component.end(), [&](std::size_t x, std::size_t y) {
    const gl_wait *a = wait_of(x), *b = wait_of(y);
    return std::pair(a->op == GL_OP_JOIN, a->seq) < std::pair(b->op == GL_OP_JOIN, b->seq);
  });
  // The component's own digraph: releaser edges, and unused copies' holders as a fallback.
  const auto digraph = [&](bool with_unused) {
    std::unordered_map<gl_actor_id, bgl::vertex> local;
    for (std::size_t k = 0; k < component.size(); ++k) local[g.ids[component[k]]] = k;
    bgl::digraph dg(component.size());
    const auto add = [&](std::size_t k, const std::vector<gl_actor_id> &to) {
      for (gl_actor_id r : to)
        if (auto it = local.find(r); it != local.end()) boost::add_edge(k, it->second, dg);
    };
    for (std::size_t k = 0; k < component.size(); ++k) {
      add(k, g.releasers[component[k]]);
      if (with_unused) add(k, g.unused[component[k]]);
    }
    return dg;
  };
  std::vector<bgl::vertex> cycle = shortest_cycle(digraph(false));
  if (cycle.empty()) {
    // No cycle of releasers: only actors that stay stuck even if unused copies were used.
    std::erase_if(component, [&](std::size_t i) { return !g.global && lenient[i]; });
    if (component.empty()) return std::nullopt;
    if (g.global) cycle = shortest_cycle(digraph(true));
  }
  deadlock_group grp;
  grp.global = g.global;
  for (bgl::vertex k : cycle) grp.cycle.push_back(g.ids[component[k]]);
  // Start at the cycle's oldest wait that is not a join (the components are sorted that way).
  if (!cycle.empty()) {
    const auto first = std::min_element(cycle.begin(), cycle.end());
    std::rotate(grp.cycle.begin(), grp.cycle.begin() + (first - cycle.begin()), grp.cycle.end());
  }
  grp.members = grp.cycle;
  bool any_inferred = false;
  for (std::size_t i : component) {
    any_inferred = any_inferred || g.inferred[i];
    if (std::find(grp.cycle.begin(), grp.cycle.end(), g.ids[i]) == grp.cycle.end())
      grp.members.push_back(g.ids[i]);
  }
  grp.definite = g.global || !any_inferred;
  const auto stuck = [&](gl_actor_id a) {
    const std::size_t i = g.index.at(a);
    return g.blocked[i] && !strict[i];
  };
  if (!grp.definite) // the way out: unused copies held by actors not stuck in a deadlock
    for (gl_actor_id a : grp.cycle.empty() ? grp.members : grp.cycle)
      for (const unused_copy &u : unused_copies(a))
        if (!stuck(u.holder) &&
            std::find(grp.unless.begin(), grp.unless.end(), u) == grp.unless.end())
          grp.unless.push_back(u);
  return grp;
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
