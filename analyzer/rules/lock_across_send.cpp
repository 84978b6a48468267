#include "lock_across_send.hpp"

#include "describe.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace gridlock::analyzer {
namespace {

// The lock ops of o's entry still held when o runs: locked before it, not unlocked before it.
std::vector<int> held_at(const program_model &m, const op &o) {
  std::vector<int> held;
  for (int l : o.after) {
    if (m.ops[l].kind != op_kind::lock) continue;
    const bool released = std::any_of(o.after.begin(), o.after.end(), [&](int u) {
      const op &x = m.ops[u];
      return x.kind == op_kind::unlock && x.object == m.ops[l].object &&
             std::find(x.after.begin(), x.after.end(), l) != x.after.end();
    });
    if (!released) held.push_back(l);
  }
  return held;
}

bool blocks(const program_model &m, const op &o) {
  if (o.kind == op_kind::recv) return true;
  if (o.kind != op_kind::send || o.buffered_anyway) return false;
  return o.object < 0 ||
         (!m.channels[o.object].unbounded && m.channels[o.object].capacity.value_or(1) == 0);
}

} // namespace

void check_lock_across_send(const rule_input &in, std::vector<report::finding> &out) {
  const program_model &m = in.model;
  std::set<std::tuple<int, int, int>> reported; // (op, peer op, mutex), each pair once
  for (std::size_t x = 0; x < m.ops.size(); ++x) {
    const op &ox = m.ops[x];
    if (ox.kind != op_kind::send && ox.kind != op_kind::recv) continue;
    for (int lock : held_at(m, ox)) {
      const int mutex = m.ops[lock].object;
      for (std::size_t y = 0; y < m.ops.size(); ++y) {
        const op &oy = m.ops[y];
        const bool peer = oy.entry != ox.entry &&
                          (ox.kind == op_kind::send ? matches(m, ox, oy) : matches(m, oy, ox));
        if (!peer) continue;
        const auto held_y = held_at(m, oy);
        const auto peer_lock = std::find_if(held_y.begin(), held_y.end(),
                                            [&](int l) { return m.ops[l].object == mutex; });
        const bool locks_first = std::any_of(oy.after.begin(), oy.after.end(), [&](int l) {
          return m.ops[l].kind == op_kind::lock && m.ops[l].object == mutex;
        });
        const auto key = std::make_tuple(std::min<int>(x, y), std::max<int>(x, y), mutex);
        if (!locks_first || !reported.insert(key).second) continue;
        const bool both_hold = peer_lock != held_y.end();
        report::finding f;
        f.kind = "lock-across-send";
        f.certainty = both_hold && blocks(m, ox) && !ox.conditional && !oy.conditional ? "definite"
                                                                                       : "possible";
        const std::string a = "'" + m.entries[ox.entry].name + "'",
                          b = "'" + m.entries[oy.entry].name + "'";
        const std::string mx = "'" + m.mutexes[mutex] + "'";
        f.summary = a + " holds " + mx + " across " + op_phrase(m, ox) + ", but " + b +
                    " must lock " + mx + " before " + op_phrase(m, oy);
        f.actors.push_back(step_entry(m, ox,
                                      a + " holds " + mx + " (locked at line " +
                                          std::to_string(m.ops[lock].where.line) +
                                          ") while it blocks in " + op_phrase(m, ox)));
        const int their_lock = *std::find_if(oy.after.begin(), oy.after.end(), [&](int l) {
          return m.ops[l].kind == op_kind::lock && m.ops[l].object == mutex;
        });
        f.actors.push_back(step_entry(m, m.ops[their_lock],
                                      b + " blocks locking " + mx + " here, before its " +
                                          op_phrase(m, oy) + " at line " +
                                          std::to_string(oy.where.line)));
        f.actors[0].waits_for = {m.entries[oy.entry].name};
        f.actors[1].waits_for = {m.entries[ox.entry].name};
        f.cycle = {m.entries[ox.entry].name, m.entries[oy.entry].name};
        add_resource(m, ox, f);
        add_resource(m, m.ops[lock], f);
        out.push_back(std::move(f));
      }
    }
  }
}

} // namespace gridlock::analyzer
