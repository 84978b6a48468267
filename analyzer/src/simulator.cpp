#include "simulator.hpp"

#include "cycles.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace gridlock::analyzer {
namespace {

constexpr long kMaxSteps = 200'000;

struct loop_frame {
  const region *r;
  long long iterations = 0;
};

struct actor_run {
  int first = 0, last = 0;           // its ops [first, last)
  std::vector<const region *> loops; // its loop regions, outer before inner at one start
  bool determined = true;
  int pc = 0;
  std::vector<loop_frame> active;
  bool done = false;
};

struct channel_state {
  long long buffered = 0;
  bool closed = false;
};

class run {
public:
  explicit run(const program_model &m)
      : m_(m), actors_(m.entries.size()), chans_(m.channels.size()) {
    for (auto &a : actors_) a.first = a.last = -1;
    for (int i = 0; i < static_cast<int>(m.ops.size()); ++i) {
      actor_run &a = actors_[static_cast<std::size_t>(m.ops[static_cast<std::size_t>(i)].entry)];
      if (a.first < 0) a.first = i;
      a.last = i + 1;
    }
    for (auto &a : actors_) {
      a.pc = a.first;
      a.done = a.first < 0;
    }
    for (const region &r : m.regions) {
      actor_run &a = actors_[static_cast<std::size_t>(r.entry)];
      if (r.kind == region::kind_t::choice || (!r.count && r.driver < 0 && !r.forever))
        a.determined = false;
      else
        a.loops.push_back(&r);
    }
    for (auto &a : actors_)
      std::stable_sort(a.loops.begin(), a.loops.end(), [](const region *x, const region *y) {
        return x->begin != y->begin ? x->begin < y->begin : x->end > y->end;
      });
    for (const op &o : m.ops)
      if (!knowable(o)) actors_[static_cast<std::size_t>(o.entry)].determined = false;
  }

  std::vector<deadlock> go() {
    for (bool progress = true; progress;) {
      progress = false;
      for (actor_run &a : actors_)
        while (a.determined && !a.done && step(a)) progress = true;
      progress = meet() || progress;
      if (steps_ > kMaxSteps) return {};
    }
    return cycles();
  }

private:
  bool knowable(const op &o) const {
    if (o.select_group >= 0) return false;
    if (o.kind == op_kind::lock || o.kind == op_kind::unlock) return true;
    if (o.object < 0) return false; // a channel not followed, a user API's process address
    const channel &c = m_.channels[static_cast<std::size_t>(o.object)];
    return c.unbounded || c.capacity.has_value();
  }

  // Moves a's pc over loop ends and starts; false if a has finished.
  bool settle(actor_run &a) {
    for (bool moved = true; moved;) {
      moved = false;
      while (!a.active.empty() && a.pc == a.active.back().r->end) {
        loop_frame &f = a.active.back();
        ++f.iterations;
        if (!f.r->count || f.iterations < *f.r->count) {
          a.pc = f.r->begin; // again (a loop ended by its receive, or one that never ends)
          moved = true;
          break;
        }
        a.active.pop_back();
      }
      for (const region *r : a.loops)
        if (r->begin == a.pc &&
            std::none_of(a.active.begin(), a.active.end(),
                         [&](const loop_frame &f) { return f.r == r; }) &&
            (a.active.empty() || r->end <= a.active.back().r->end)) {
          a.active.push_back({r, 0});
          moved = true;
        }
    }
    if (a.pc >= a.last) a.done = true;
    return !a.done;
  }

  // Runs a's next op if it can complete alone; false if a waits (or has finished).
  bool step(actor_run &a) {
    if (!settle(a)) return false;
    ++steps_;
    const op &o = m_.ops[static_cast<std::size_t>(a.pc)];

    if (o.kind == op_kind::lock || o.kind == op_kind::unlock) return advance(a);
    channel_state &c = chans_[static_cast<std::size_t>(o.object)];
    const channel &ch = m_.channels[static_cast<std::size_t>(o.object)];
    switch (o.kind) {
    case op_kind::close: c.closed = true; return advance(a);
    case op_kind::send:
      if (o.buffered_anyway || ch.unbounded || c.buffered < ch.capacity.value_or(0)) {
        ++c.buffered;
        return advance(a);
      }
      return false;
    case op_kind::recv:
      if (c.buffered > 0) {
        --c.buffered;
        return advance(a);
      }
      if (c.closed) return closed(a);
      return false;
    default: return advance(a);
    }
  }

  bool advance(actor_run &a) {
    ++a.pc;
    return true;
  }

  // a's receive found its channel closed: the loop it drives ends, else the program goes on.
  bool closed(actor_run &a) {
    for (std::size_t i = a.active.size(); i-- > 0;)
      if (a.active[i].r->driver == a.pc) {
        a.pc = a.active[i].r->end;
        a.active.resize(i);
        return true;
      }
    return advance(a);
  }

  // Rendezvous: a send waiting on a channel without a buffer meets a waiting receive.
  bool meet() {
    bool any = false;
    for (actor_run &s : actors_) {
      if (!waiting(s, op_kind::send)) continue;
      const op &so = m_.ops[static_cast<std::size_t>(s.pc)];
      if (m_.channels[static_cast<std::size_t>(so.object)].capacity.value_or(0) > 0) continue;
      for (actor_run &r : actors_) {
        if (&r == &s || !waiting(r, op_kind::recv)) continue;
        if (m_.ops[static_cast<std::size_t>(r.pc)].object != so.object) continue;
        advance(s);
        advance(r);
        any = true;
        break;
      }
    }
    return any;
  }

  // Is a (its loops settled) at an op of kind k?
  bool waiting(actor_run &a, op_kind k) {
    return a.determined && !a.done && settle(a) && m_.ops[static_cast<std::size_t>(a.pc)].kind == k;
  }

  // The op of b that would complete o: the first one from b's pc on, else one of the loops b is
  // in (it comes round again); -1 if none.
  int release(const actor_run &b, const op &o) const {
    const auto completes = [&](const op &p) {
      if (p.object != o.object) return false;
      if (o.kind == op_kind::send) return p.kind == op_kind::recv;
      return p.kind == op_kind::send || p.kind == op_kind::close;
    };
    for (int i = b.pc; i < b.last; ++i)
      if (completes(m_.ops[static_cast<std::size_t>(i)])) return i;
    for (const loop_frame &f : b.active)
      for (int i = f.r->begin; i < f.r->end; ++i)
        if (completes(m_.ops[static_cast<std::size_t>(i)])) return i;
    return -1;
  }

  // Any op of a that is not determined which could complete o.
  bool may_complete(const actor_run &a, const op &o) const {
    actor_run whole = a;
    whole.pc = a.first;
    return a.first >= 0 && release(whole, o) >= 0;
  }

  std::vector<deadlock> cycles() const {
    const int n = static_cast<int>(actors_.size());
    wait_for g(n);
    std::map<std::pair<int, int>, int> released_by;
    std::vector<bool> open(static_cast<std::size_t>(n), false); // an undetermined actor may help
    for (int a = 0; a < n; ++a) {
      const actor_run &x = actors_[static_cast<std::size_t>(a)];
      if (!x.determined || x.done) continue;
      const op &o = m_.ops[static_cast<std::size_t>(x.pc)];
      for (int b = 0; b < n; ++b) {
        const actor_run &y = actors_[static_cast<std::size_t>(b)];
        if (b == a || y.done) continue;
        if (!y.determined) {
          if (may_complete(y, o)) open[static_cast<std::size_t>(a)] = true;
          continue;
        }
        const int r = release(y, o);
        if (r < 0) continue;
        g.add(a, b);
        released_by[{a, b}] = r;
      }
    }
    std::vector<deadlock> out;
    for (const std::vector<int> &cyc : g.cycles()) {
      deadlock d;
      bool closed_cycle = true;
      for (std::size_t k = 0; k < cyc.size(); ++k) {
        const int a = cyc[k], b = cyc[(k + 1) % cyc.size()];
        closed_cycle = closed_cycle && !open[static_cast<std::size_t>(a)];
        d.cycle.push_back({a, actors_[static_cast<std::size_t>(a)].pc, released_by.at({a, b})});
      }
      if (closed_cycle) out.push_back(std::move(d));
    }
    return out;
  }

  const program_model &m_;
  std::vector<actor_run> actors_;
  std::vector<channel_state> chans_;
  long steps_ = 0;
};

} // namespace

std::vector<deadlock> simulate(const program_model &m) {
  if (m.ops.empty()) return {};
  return run(m).go();
}

} // namespace gridlock::analyzer
