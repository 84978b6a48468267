#include "flight_recorder.hpp"
#include <gridlock/detail/abi.hpp>

#include "report_writer.hpp"

#include <gridlock/detail/lock_order.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <unordered_map>

extern "C" {
int gl_trace_flag = 0;
const char *gl_event_name(gl_event ev) {
  switch (ev) {
  case GL_EV_SEND: return "send";
  case GL_EV_RECEIVE: return "receive";
  case GL_EV_POST: return "post";
  case GL_EV_BLOCK: return "block";
  case GL_EV_UNBLOCK: return "unblock";
  case GL_EV_LOCK: return "lock";
  case GL_EV_UNLOCK: return "unlock";
  case GL_EV_SPAWN: return "spawn";
  case GL_EV_JOIN: return "join";
  case GL_EV_READ_LOCK: return "read lock";
  case GL_EV_READ_UNLOCK: return "read unlock";
  }
  return "event";
}
}

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {

// A vector clock: (actor, count) pairs sorted by actor, zero entries left out.
using vclock = std::vector<std::pair<gl_actor_id, std::uint64_t>>;

void merge(vclock &into, const vclock &from) {
  vclock out;
  out.reserve(into.size() + from.size());
  auto a = into.cbegin();
  auto b = from.cbegin();
  while (a != into.end() || b != from.end()) {
    if (b == from.end() || (a != into.end() && a->first < b->first))
      out.push_back(*a++);
    else if (a == into.end() || b->first < a->first)
      out.push_back(*b++);
    else
      out.emplace_back(a->first, std::max(a->second, b->second)), ++a, ++b;
  }
  into = std::move(out);
}

void tick(vclock &c, gl_actor_id a) {
  auto it = std::lower_bound(c.begin(), c.end(), std::make_pair(a, std::uint64_t{0}));
  if (it != c.end() && it->first == a)
    ++it->second;
  else
    c.insert(it, {a, 1});
}

struct event {
  gl_event ev;
  std::uint64_t seq;
  std::int64_t t_us;
  std::uint64_t lamport;
  std::shared_ptr<const vclock> vc;
  gl_resource_id resource_id;
  std::shared_ptr<const std::string> resource; // null: named by the snapshot's caller
  int op;                                      // block: a gl_op; else -1
  gl_location where;
  std::uint64_t msg;
  gl_actor_id peer;
};

struct actor_rec {
  std::string name;
  std::uint64_t lamport = 0;
  std::shared_ptr<const vclock> vc = std::make_shared<const vclock>();
  std::uint64_t seq = 0;
  std::vector<event> ring; // grows to kRing, then overwritten from ring[seq % kRing]
  std::int64_t last_us = 0;
};

struct in_flight {
  std::uint64_t msg;
  gl_actor_id from;
  std::uint64_t lamport;
  std::shared_ptr<const vclock> vc;
};

bool is_message(gl_event ev) {
  return ev == GL_EV_SEND || ev == GL_EV_POST || ev == GL_EV_RECEIVE || ev == GL_EV_SPAWN ||
         ev == GL_EV_JOIN;
}

} // namespace

struct flight_recorder::state {
  mutable ranked_mutex<lock_rank::trace> mu;
  std::unordered_map<gl_actor_id, actor_rec> actors;
  std::deque<gl_actor_id> exited; // oldest first
  std::unordered_map<gl_resource_id, std::shared_ptr<const std::string>> resources;
  std::map<std::pair<gl_resource_id, std::uint64_t>, in_flight> flight;
  std::deque<std::pair<gl_resource_id, std::uint64_t>> flight_order; // sends, oldest first
  std::uint64_t next_msg = 1;

  actor_rec &actor(gl_actor_id a) {
    auto [it, fresh] = actors.try_emplace(a);
    if (fresh) it->second.name = "actor-" + std::to_string(a);
    return it->second;
  }

  void park_message(gl_resource_id r, std::uint64_t key, in_flight m) {
    if (!flight.insert_or_assign({r, key}, std::move(m)).second) return;
    flight_order.emplace_back(r, key);
    while (flight.size() > kInFlight && !flight_order.empty()) {
      flight.erase(flight_order.front()); // may be received already: then a no-op
      flight_order.pop_front();
    }
    if (flight_order.size() > 2 * kInFlight) // received messages leave stale entries behind
      std::erase_if(flight_order, [&](const auto &k) { return !flight.count(k); });
  }
};

flight_recorder &flight_recorder::get() {
  static flight_recorder *r = new flight_recorder; // leaked: used until the last thread exits
  return *r;
}

flight_recorder::state &flight_recorder::s() const {
  static state *st = new state;
  return *st;
}

void flight_recorder::enable(bool on) noexcept {
  __atomic_store_n(&gl_trace_flag, on ? 1 : 0, __ATOMIC_RELAXED);
}

void flight_recorder::lock_for_fork() const { s().mu.lock(); }
void flight_recorder::unlock_after_fork() const { s().mu.unlock(); }

std::int64_t flight_recorder::micros(clock::time_point t) const noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(t - epoch_).count();
}

void flight_recorder::name_actor(gl_actor_id a, const std::string &name) {
  std::lock_guard lk(s().mu);
  s().actor(a).name = name;
}

void flight_recorder::actor_exited(gl_actor_id a) {
  state &st = s();
  std::lock_guard lk(st.mu);
  auto it = st.actors.find(a);
  if (it == st.actors.end()) return;
  if (it->second.ring.empty()) { // nothing recorded (trace off): nothing to keep
    st.actors.erase(it);
    return;
  }
  st.exited.push_back(a);
  while (st.exited.size() > kExited) {
    st.actors.erase(st.exited.front());
    st.exited.pop_front();
  }
}

void flight_recorder::name_resource(gl_resource_id r, const std::string &name) {
  auto n = std::make_shared<const std::string>(name);
  std::lock_guard lk(s().mu);
  s().resources[r] = std::move(n);
}

void flight_recorder::resource_destroyed(gl_resource_id r) {
  state &st = s();
  std::lock_guard lk(st.mu);
  st.resources.erase(r);
  st.flight.erase(st.flight.lower_bound({r, 0}), st.flight.lower_bound({r + 1, 0}));
}

void flight_recorder::record(gl_event ev, gl_actor_id a, gl_resource_id r, std::uint64_t key,
                             gl_actor_id peer, int op, const gl_location *where) {
  const std::int64_t now = micros(clock::now());
  state &st = s();
  std::lock_guard lk(st.mu);
  actor_rec &rec = st.actor(a);
  std::uint64_t msg = 0;
  ++rec.lamport;
  if (is_message(ev)) {
    auto vc = std::make_shared<vclock>(*rec.vc);
    if (ev == GL_EV_RECEIVE) {
      if (auto it = st.flight.find({r, key}); it != st.flight.end()) {
        rec.lamport = std::max(rec.lamport, it->second.lamport + 1);
        merge(*vc, *it->second.vc);
        msg = it->second.msg;
        peer = it->second.from;
        st.flight.erase(it);
      }
    } else if (ev == GL_EV_JOIN) {
      if (auto it = st.actors.find(peer); it != st.actors.end()) {
        rec.lamport = std::max(rec.lamport, it->second.lamport + 1);
        merge(*vc, *it->second.vc);
      }
    }
    tick(*vc, a);
    rec.vc = std::move(vc);
    if (ev == GL_EV_SEND || ev == GL_EV_POST) {
      msg = st.next_msg++;
      st.park_message(r, key, in_flight{msg, a, rec.lamport, rec.vc});
    } else if (ev == GL_EV_SPAWN) { // the child starts from its parent's clocks
      actor_rec &child = st.actor(peer);
      child.lamport = std::max(child.lamport, rec.lamport);
      auto cvc = std::make_shared<vclock>(*child.vc);
      merge(*cvc, *rec.vc);
      child.vc = std::move(cvc);
    }
  }
  std::shared_ptr<const std::string> res;
  if (auto it = st.resources.find(r); it != st.resources.end()) res = it->second;
  event e{ev,
          ++rec.seq,
          now,
          rec.lamport,
          rec.vc,
          r,
          std::move(res),
          op,
          where ? *where : gl_location{},
          msg,
          peer};
  if (rec.ring.size() < kRing)
    rec.ring.push_back(std::move(e));
  else
    rec.ring[(rec.seq - 1) % kRing] = std::move(e);
  rec.last_us = now;
}

std::vector<report::trace_event>
flight_recorder::snapshot(const std::set<std::string> &first,
                          const resource_namer &name_resources) const {
  // Under the lock, only copies (the clocks and names are shared); converted after.
  struct picked {
    gl_actor_id id;
    std::string name;
    std::vector<event> events;
  };
  std::vector<picked> actors;
  std::unordered_map<gl_actor_id, std::string> names;
  {
    state &st = s();
    std::lock_guard lk(st.mu);
    // Which actors: the findings' own, then the most recently active.
    std::vector<const std::pair<const gl_actor_id, actor_rec> *> order;
    for (const auto &kv : st.actors) {
      order.push_back(&kv);
      names.emplace(kv.first, kv.second.name);
    }
    const auto rank = [&](const auto *kv) {
      return std::make_pair(first.count(kv->second.name) > 0, kv->second.last_us);
    };
    std::sort(order.begin(), order.end(),
              [&](const auto *x, const auto *y) { return rank(x) > rank(y); });
    if (order.size() > kReportActors) order.resize(kReportActors);
    for (const auto *kv : order) actors.push_back({kv->first, kv->second.name, kv->second.ring});
  }
  std::set<gl_resource_id> unnamed;
  for (const picked &p : actors)
    for (const event &e : p.events)
      if (e.resource_id && !e.resource) unnamed.insert(e.resource_id);
  const auto resource_names =
      unnamed.empty() ? std::map<gl_resource_id, std::string>{} : name_resources(unnamed);
  std::vector<report::trace_event> out;
  for (const picked &p : actors)
    for (const event &e : p.events) {
      report::trace_event t;
      t.actor_id = p.id;
      t.actor = p.name;
      t.seq = e.seq;
      t.t_us = e.t_us;
      t.event = gl_event_name(e.ev);
      if (e.resource)
        t.resource = *e.resource;
      else if (auto it = resource_names.find(e.resource_id); it != resource_names.end())
        t.resource = it->second;
      if (e.op >= 0) t.op = gl_op_name(static_cast<gl_op>(e.op));
      t.msg = e.msg;
      if (e.peer) {
        t.peer_id = e.peer;
        auto it = names.find(e.peer);
        t.peer = it == names.end() ? "actor-" + std::to_string(e.peer) : it->second;
      }
      t.lamport = e.lamport;
      t.vc.assign(e.vc->begin(), e.vc->end());
      t.where = to_location(e.where);
      out.push_back(std::move(t));
    }
  std::sort(out.begin(), out.end(), [](const auto &x, const auto &y) {
    return x.t_us != y.t_us ? x.t_us < y.t_us : x.lamport < y.lamport;
  });
  return out;
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
