#include "order_graph.hpp"

#include "cycles.hpp"
#include "simulator.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace gridlock::analyzer {
namespace {

enum class buffering { optimistic, pessimistic };

bool blocking_kind(op_kind k) { return k == op_kind::send || k == op_kind::recv; }

bool channel_buffers(const program_model &m, int ch) {
  if (ch < 0) return false;
  const channel &c = m.channels[ch];
  return c.unbounded || !c.capacity || *c.capacity > 0;
}

// Does send s complete without a receiver?
bool never_blocks(const program_model &m, const op &s, buffering b) {
  if (s.buffered_anyway) return true;
  if (s.object < 0) return false;
  const channel &c = m.channels[s.object];
  if (c.unbounded) return true;
  if (!c.capacity) return b == buffering::optimistic;
  if (*c.capacity == 0) return false;
  // The sends of this entry on this channel that come first fill the buffer before this one, each
  // as many times as its loops run; a send in a loop of unknown count could fill any buffer.
  const auto times = [](const op &x) { return x.in_loop ? x.repeat : std::optional<long long>(1); };
  std::optional<long long> sends = times(s);
  for (int a : earlier_sends(m, s))
    if (sends) sends = times(m.ops[a]) ? std::optional(*sends + *times(m.ops[a])) : std::nullopt;
  if (!sends) return b == buffering::optimistic;
  return *sends <= *c.capacity;
}

struct completion {
  std::vector<bool> reached, done;
};

// Can o complete now that it is reached: a send that does not block or whose receive is
// reached, a receive whose send (or a close) is reached, any other operation.
bool can_complete(const program_model &m, const completion &c, const op &o, buffering b) {
  const std::size_t n = m.ops.size();
  if (o.kind == op_kind::send) {
    if (never_blocks(m, o, b)) return true;
    for (std::size_t j = 0; j < n; ++j)
      if (c.reached[j] && matches(m, o, m.ops[j])) return true;
    return false;
  }
  if (o.kind != op_kind::recv) return true;
  for (std::size_t j = 0; j < n; ++j) {
    const op &p = m.ops[j];
    if (c.reached[j] &&
        (matches(m, p, o) || (p.kind == op_kind::close && p.object == o.object && o.object >= 0)))
      return true;
  }
  return false;
}

completion complete(const program_model &m, buffering b) {
  const std::size_t n = m.ops.size();
  completion c{std::vector<bool>(n, false), std::vector<bool>(n, false)};
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (c.done[i]) continue;
      const op &o = m.ops[i];
      if (!c.reached[i]) {
        const auto done = [&](int a) { return c.done[a]; };
        if (!std::all_of(o.after.begin(), o.after.end(), done) ||
            !std::all_of(o.after_maybe.begin(), o.after_maybe.end(), done))
          continue;
        c.reached[i] = changed = true;
      }
      if (o.select_group < 0) {
        if (can_complete(m, c, o, b)) c.done[i] = changed = true;
        continue;
      }
      // A select: all its cases are reached together, and done together when any one can be.
      std::size_t last = static_cast<std::size_t>(o.select_group);
      while (last + 1 < n && m.ops[last + 1].select_group == o.select_group) ++last;
      bool any = o.polls;
      for (std::size_t k = static_cast<std::size_t>(o.select_group); k <= last && !any; ++k)
        any = c.reached[k] && can_complete(m, c, m.ops[k], b);
      if (any)
        for (std::size_t k = static_cast<std::size_t>(o.select_group); k <= last; ++k)
          c.done[k] = changed = true;
    }
  }
  return c;
}

// Entry graph: an edge A -> B for each stuck op of A waiting on a matching op of B that is stuck
// behind one of B's stuck ops.
struct entry_edge {
  int op, release, blocker;
  bool on_every_path;
};

std::vector<deadlock> deadlocks_under(const program_model &m, buffering b) {
  const completion c = complete(m, b);
  const auto stuck = [&](int i) {
    return c.reached[i] && !c.done[i] && blocking_kind(m.ops[i].kind);
  };
  wait_for g(static_cast<int>(m.entries.size()));
  std::map<std::pair<int, int>, entry_edge> label;
  for (std::size_t i = 0; i < m.ops.size(); ++i) {
    if (!stuck(static_cast<int>(i))) continue;
    const op &o = m.ops[i];
    for (std::size_t j = 0; j < m.ops.size(); ++j) {
      const op &q = m.ops[j];
      const bool counterpart = o.kind == op_kind::send ? matches(m, o, q) : matches(m, q, o);
      if (!counterpart || q.entry == o.entry) continue;
      // What keeps q from being reached: a stuck op before it on every path, or on some path.
      int blocker = -1;
      bool on_every_path = true;
      for (int p : q.after)
        if (stuck(p)) blocker = p;
      if (blocker < 0)
        for (int p : q.after_maybe)
          if (stuck(p)) blocker = p, on_every_path = false;
      if (blocker < 0 || label.count({o.entry, q.entry})) continue;
      g.add(o.entry, q.entry);
      label[{o.entry, q.entry}] = {static_cast<int>(i), static_cast<int>(j), blocker,
                                   on_every_path};
    }
  }
  std::vector<deadlock> out;
  for (const std::vector<int> &cyc : g.cycles()) {
    deadlock d;
    d.hazard = b == buffering::pessimistic;
    for (std::size_t k = 0; k < cyc.size(); ++k) {
      const int from = cyc[k], to = cyc[(k + 1) % cyc.size()];
      const entry_edge &e = label.at({from, to});
      d.cycle.push_back({from, e.op, e.release});
      const op &o = m.ops[e.op];
      d.certain = d.certain && !o.conditional && !m.ops[e.release].conditional && e.on_every_path &&
                  b == buffering::optimistic;
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::set<int> entries_of(const deadlock &d) {
  std::set<int> s;
  for (const auto &step : d.cycle) s.insert(step.entry);
  return s;
}

} // namespace

std::vector<int> earlier_sends(const program_model &m, const op &s) {
  std::vector<int> out;
  for (int a : s.after) // (a select's send case may not be the one that ran)
    if (m.ops[a].kind == op_kind::send && m.ops[a].object == s.object && m.ops[a].select_group < 0)
      out.push_back(a);
  return out;
}

bool matches(const program_model &m, const op &s, const op &r) {
  if (s.kind != op_kind::send || r.kind != op_kind::recv) return false;
  if (s.object == -1 || r.object == -1) { // process-addressed (user API)
    if (s.object != r.object || s.entry == r.entry) return false;
    return (s.peer == -1 || s.peer == r.entry) && (r.peer == -1 || r.peer == s.entry);
  }
  if (s.object != r.object && s.object != kUnknownChannel && r.object != kUnknownChannel)
    return false;
  if (s.entry != r.entry) return true;
  return m.entries[s.entry].multi || channel_buffers(m, s.object >= 0 ? s.object : r.object);
}

std::vector<deadlock> find_deadlocks(const program_model &m) {
  std::vector<deadlock> certain = deadlocks_under(m, buffering::optimistic);
  // Running the actors together finds deadlocks of loops that exchange messages one by one; such
  // a deadlock replaces one of the same actors the fixpoint found.
  for (deadlock &d : simulate(m)) {
    const auto members = entries_of(d);
    certain.erase(std::remove_if(certain.begin(), certain.end(),
                                 [&](const deadlock &c) { return entries_of(c) == members; }),
                  certain.end());
    certain.push_back(std::move(d));
  }
  for (deadlock &d : deadlocks_under(m, buffering::pessimistic)) {
    const auto members = entries_of(d);
    const bool known = std::any_of(certain.begin(), certain.end(),
                                   [&](const deadlock &c) { return entries_of(c) == members; });
    if (!known) certain.push_back(std::move(d));
  }
  return certain;
}

std::vector<int> find_unmatched(const program_model &m) {
  std::vector<int> out;
  for (std::size_t i = 0; i < m.ops.size(); ++i) {
    const op &o = m.ops[i];
    if (!blocking_kind(o.kind) || o.buffered_anyway || o.object == kUnknownChannel ||
        o.select_group >= 0)
      continue;
    // Mailboxes are usually reached through pointers passed around in messages, which the model
    // cannot follow: a mailbox with no visible sender is not evidence of a bug.
    if (o.object >= 0 && m.channels[o.object].addressed) continue;
    if (o.kind == op_kind::send && never_blocks(m, o, buffering::optimistic)) continue;
    const bool matched = std::any_of(m.ops.begin(), m.ops.end(), [&](const op &p) {
      if (o.kind == op_kind::send) return matches(m, o, p);
      return matches(m, p, o) || (p.kind == op_kind::close && p.object == o.object);
    });
    if (!matched) out.push_back(static_cast<int>(i));
  }
  return out;
}

} // namespace gridlock::analyzer
