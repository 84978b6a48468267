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
  std::vector<bool> live_target;                    // target releasable by an unknown live actor
  bool inferred = false;                            // some holder is known only by use
};

void wait_graph::add_actor(gl_actor_id a, std::string name) {
  actors_[a].name = std::move(name);
  ++version_;
}

void wait_graph::rename_actor(gl_actor_id a, std::string name) {
  if (auto it = actors_.find(a); it != actors_.end()) it->second.name = std::move(name);
}

void wait_graph::remove_actor(gl_actor_id a) {
  auto it = actors_.find(a);
  if (it == actors_.end()) return;
  for (const auto &[r, end] : it->second.holds)
    if (auto res = resources_.find(r); res != resources_.end()) res->second.drop_holder(end, a);
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
  if (how == GL_HOLD_UNKNOWN || a == 0) {
    res->second.unknown[end] += delta;
    return;
  }
  auto act = actors_.find(a);
  if (act == actors_.end()) return; // exited: it held nothing any more
  auto &c = res->second.holder(end, a);
  (how == GL_HOLD_EXACT ? c.exact : c.inferred) += delta;
  if (c.exact == 0 && c.inferred == 0) {
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

std::vector<wait_graph::resource_key> wait_graph::keys_of(const gl_wait &w) {
  std::vector<resource_key> keys;
  for (const gl_target &t : w.targets)
    if (t.resource != 0) keys.emplace_back(t.resource, t.kind == GL_TARGET_HOLDERS ? t.end : -1);
  return keys;
}

// `served` ended released: every older wait still blocked on one of its resources was overtaken.
void wait_graph::note_overtakes(const gl_wait &served) {
  for (const resource_key &k : keys_of(served)) {
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

std::uint64_t wait_graph::bypass_of(const gl_wait &w) const {
  std::uint64_t bypass = w.overtakes;
  if (w.op == GL_OP_RECEIVE_FROM && !w.targets.empty())
    if (const actor_info *x = actor(w.targets[0].actor))
      bypass += x->stats->delivered.load(std::memory_order_relaxed) - w.deliveries_at_begin;
  return bypass;
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
  if (w->op == GL_OP_RECEIVE_FROM && !w->targets.empty())
    if (const actor_info *x = actor(w->targets[0].actor))
      w->deliveries_at_begin = x->stats->delivered.load(std::memory_order_relaxed);
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

wait_graph::edges wait_graph::edges_of(gl_actor_id self, bool untracked) const {
  edges e;
  const gl_wait &w = *actors_.at(self).wait;
  for (const gl_target &t : w.targets) {
    std::vector<gl_actor_id> who;
    bool live = false;
    switch (t.kind) {
    case GL_TARGET_ACTOR:
      if (actors_.count(t.actor)) who.push_back(t.actor);
      break;
    case GL_TARGET_HOLDERS: {
      const resource_info *r = resource(t.resource);
      if (!r) {
        live = true;
        break;
      }
      live = r->unknown[t.end] > 0; // known holders are still named, for the report
      for (const auto &[a, c] : r->holders[t.end]) {
        if (c.exact + c.inferred <= 0) continue;
        who.push_back(a);
        if (c.exact <= 0) e.inferred = true;
      }
      break;
    }
    case GL_TARGET_OWNER: {
      const resource_info *r = resource(t.resource);
      if (!r || r->owner == 0)
        live = true;
      else if (actors_.count(r->owner))
        who.push_back(r->owner);
      break;
    }
    case GL_TARGET_ANY_ACTOR:
      live = untracked;
      for (const auto &[a, info] : actors_)
        if (a != self) who.push_back(a);
      break;
    }
    e.per_target.push_back(std::move(who));
    e.live_target.push_back(live);
  }
  return e;
}

std::vector<gl_actor_id> wait_graph::releasers(gl_actor_id a) const {
  std::vector<gl_actor_id> out;
  const actor_info *info = actor(a);
  if (!info || !info->wait) return out;
  for (const auto &who : edges_of(a, false).per_target)
    out.insert(out.end(), who.begin(), who.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<gl_actor_id> wait_graph::blocked_actors() const {
  std::vector<gl_actor_id> out;
  for (const auto &[id, a] : actors_)
    if (a.wait && !a.wait->released.load(std::memory_order_acquire)) out.push_back(id);
  return out;
}

std::vector<deadlock_group> wait_graph::find_deadlocks(bool untracked) const {
  // Vertices: 0..n-1 actors, then one target node per target of each blocked wait. A vertex
  // progresses once `need` of its successors have (0: at once).
  std::vector<gl_actor_id> ids;
  std::unordered_map<gl_actor_id, bgl::vertex> index;
  for (const auto &[id, a] : actors_) {
    index[id] = ids.size();
    ids.push_back(id);
  }
  const std::size_t n = ids.size();
  bgl::digraph g(n);
  std::vector<std::size_t> need(n, 0); // successors that must progress before this vertex can
  std::vector<bool> blocked(n, false), inferred(n, false);
  std::vector<std::vector<gl_actor_id>> actor_edges(n);
  std::size_t blocked_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const actor_info &a = actors_.at(ids[i]);
    if (!is_blocked(a)) continue;
    blocked[i] = true;
    ++blocked_total;
    const edges e = edges_of(ids[i], untracked);
    inferred[i] = e.inferred;
    need[i] = a.wait->all ? e.per_target.size() : 1;
    for (std::size_t t = 0; t < e.per_target.size(); ++t) {
      const bgl::vertex tv = boost::add_vertex(g);
      need.push_back(1);
      boost::add_edge(i, tv, g);
      for (gl_actor_id r : e.per_target[t]) {
        boost::add_edge(tv, index.at(r), g);
        actor_edges[i].push_back(r);
      }
      if (e.live_target[t]) {
        need.back() = 0; // releasable by someone gridlock cannot see
      }
    }
  }
  // Propagate "can progress" backwards from the live vertices.
  std::vector<bool> progress(boost::num_vertices(g), false);
  std::deque<bgl::vertex> work;
  for (bgl::vertex v = 0; v < boost::num_vertices(g); ++v) {
    if (need[v] == 0) { // a running actor, an AND over nothing, a target an unknown actor can serve
      progress[v] = true;
      work.push_back(v);
    }
  }
  while (!work.empty()) {
    const bgl::vertex v = work.front();
    work.pop_front();
    for (auto [it, end] = boost::in_edges(v, g); it != end; ++it) {
      const bgl::vertex u = boost::source(*it, g);
      if (progress[u] || need[u] == 0) continue;
      if (--need[u] == 0) {
        progress[u] = true;
        work.push_back(u);
      }
    }
  }
  // The whole process is stuck when every tracked actor is blocked and no other thread exists.
  const bool global = !untracked && blocked_total == n && n > 0;
  std::vector<std::size_t> dead; // actor indices
  for (std::size_t i = 0; i < n; ++i)
    if (blocked[i] && (global || !progress[i])) dead.push_back(i);
  if (dead.empty()) return {};

  // Actor-level graph among the deadlocked actors, for components and cycles.
  std::unordered_map<std::size_t, bgl::vertex> local;
  for (std::size_t k = 0; k < dead.size(); ++k) local[dead[k]] = k;
  bgl::digraph dg(dead.size());
  bgl::ugraph ug(dead.size());
  for (std::size_t k = 0; k < dead.size(); ++k)
    for (gl_actor_id r : actor_edges[dead[k]])
      if (auto it = local.find(index.at(r)); it != local.end()) {
        boost::add_edge(k, it->second, dg);
        boost::add_edge(k, it->second, ug);
      }
  std::vector<int> comp(dead.size());
  const int ncomp = boost::connected_components(ug, comp.data());

  std::vector<deadlock_group> groups;
  for (int c = 0; c < ncomp; ++c) {
    std::vector<bgl::vertex> vs;
    for (std::size_t k = 0; k < dead.size(); ++k)
      if (comp[k] == c) vs.push_back(k);
    // The shortest cycle, tried from the oldest waits first (at most 16 starts: cliques of
    // receive-from-any waits would make an exhaustive search quadratic).
    std::sort(vs.begin(), vs.end(), [&](bgl::vertex x, bgl::vertex y) {
      return actors_.at(ids[dead[x]]).wait->seq < actors_.at(ids[dead[y]]).wait->seq;
    });
    std::vector<bgl::vertex> best;
    for (std::size_t s = 0; s < vs.size() && s < 16; ++s) {
      auto cyc = graph::shortest_cycle_through(dg, vs[s]);
      if (!cyc.empty() && (best.empty() || cyc.size() < best.size())) best = std::move(cyc);
    }
    deadlock_group grp;
    grp.global = global;
    bool any_inferred = false;
    for (bgl::vertex k : best) grp.cycle.push_back(ids[dead[k]]);
    grp.members = grp.cycle;
    for (bgl::vertex k : vs) {
      any_inferred = any_inferred || inferred[dead[k]];
      if (std::find(best.begin(), best.end(), k) == best.end()) grp.members.push_back(ids[dead[k]]);
    }
    grp.definite = global || !any_inferred;
    groups.push_back(std::move(grp));
  }
  return groups;
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
