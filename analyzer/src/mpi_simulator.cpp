#include "mpi_simulator.hpp"

#include "cycles.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace gridlock::analyzer::mpi {
namespace {

bool known_rank(int v) { return v >= 0; }

// Can a message sent by `from` with event s be received by rank `to` with event r?
bool matches(const event &s, int from, const event &r, int to) {
  const bool comm = s.comm == r.comm || s.comm == kUnknownComm || r.comm == kUnknownComm;
  const bool dest = s.peer == to || s.peer == kUnknown;
  const bool source = r.peer == from || r.peer == kAny || r.peer == kUnknown;
  const bool tag = s.tag == r.tag || r.tag == kAny || r.tag == kUnknown || s.tag == kUnknown;
  return comm && dest && source && tag;
}

// One run of every rank's trace, eager or rendezvous.
class run {
public:
  run(const program &p, bool eager)
      : p_(p), eager_(eager), ranks_(p.ranks.size()), recvs_(p.ranks.size()) {
    for (std::size_t r = 0; r < ranks_.size(); ++r) {
      ranks_[r].completed.assign(p.ranks[r].events.size(), false);
      ranks_[r].posted.assign(p.ranks[r].events.size(), false);
    }
    bool progress = true;
    while (progress && !aborted_) {
      progress = false;
      for (std::size_t r = 0; r < ranks_.size() && !aborted_; ++r)
        progress |= advance(static_cast<int>(r));
    }
  }

  bool aborted() const { return aborted_; }
  bool done(int r) const { return ranks_[r].done; }
  int pc(int r) const { return static_cast<int>(ranks_[r].pc); }
  const std::vector<issue> &mismatches() const { return mismatches_; }

  // The ranks that could complete event `e` of rank r, which is not complete.
  std::vector<int> waits_for(int r, int e) const {
    const event &ev = p_.ranks[r].events[e];
    std::set<int> out;
    switch (ev.kind) {
    case ev_kind::send:
    case ev_kind::recv:
    case ev_kind::probe:
      // The ranks that still have a call that could match it (none: it is unmatched). A rank
      // never releases itself unless it names itself (a send to self, rendezvous).
      for (int o = 0; o < p_.np; ++o)
        if ((ev.peer == o || (!known_rank(ev.peer) && o != r)) && could_still_match(r, ev, o))
          out.insert(o);
      break;
    case ev_kind::wait:
      for (int w : ev.waits)
        if (!ranks_[r].completed[w]) {
          const auto more = waits_for(r, w);
          out.insert(more.begin(), more.end());
        }
      break;
    case ev_kind::collective: {
      const auto &arrived = arrivals_.at(instance_.at({r, e}));
      for (int o : group(r, ev.comm))
        if (!arrived.count(o)) out.insert(o);
      break;
    }
    case ev_kind::abort: break;
    }
    return {out.begin(), out.end()};
  }

  // Sends posted that no receive matched, as (rank, event).
  std::vector<std::pair<int, int>> unreceived() const {
    std::vector<std::pair<int, int>> out;
    for (const auto &m : sends_)
      if (!m.matched) out.push_back({m.rank, m.event});
    return out;
  }

private:
  // Does rank o still have (not yet posted) a call that would match event x of rank r?
  bool could_still_match(int r, const event &x, int o) const {
    const auto &events = p_.ranks[o].events;
    for (std::size_t k = ranks_[o].pc; k < events.size(); ++k) {
      const event &y = events[k];
      if (x.kind == ev_kind::send ? y.kind == ev_kind::recv && matches(x, r, y, o)
                                  : y.kind == ev_kind::send && matches(y, o, x, r))
        return true;
      if (y.kind == ev_kind::abort) return true;
    }
    return false;
  }

  struct rank_state {
    std::size_t pc = 0;
    bool done = false;
    std::vector<bool> posted, completed;
    std::map<int, int> collectives; // communicator -> collectives reached on it so far
  };
  struct message {
    int rank, event;
    bool matched = false;
  };
  using instance = std::pair<int, int>; // (communicator, k-th collective on it)

  const event &ev(int r, int e) const { return p_.ranks[r].events[e]; }

  std::vector<int> group(int r, int comm) const {
    if (comm == kSelf) return {r};
    std::vector<int> all(p_.np);
    for (int i = 0; i < p_.np; ++i) all[i] = i;
    return all;
  }

  // Runs rank r until it blocks or ends; true if it moved.
  bool advance(int r) {
    rank_state &s = ranks_[r];
    const auto &events = p_.ranks[r].events;
    bool moved = false;
    while (!s.done) {
      if (s.pc == events.size()) {
        s.done = true;
        return true;
      }
      const int e = static_cast<int>(s.pc);
      if (!s.posted[e]) {
        s.posted[e] = true;
        post(r, e);
        if (aborted_) return true;
      }
      if (events[e].blocking && !complete(r, e)) return moved;
      ++s.pc;
      moved = true;
    }
    return moved;
  }

  bool complete(int r, int e) {
    const event &x = ev(r, e);
    auto &done = ranks_[r].completed;
    if (x.kind == ev_kind::probe) return done[e] = probe_satisfied(r, x);
    if (x.kind == ev_kind::wait) {
      if (x.waits.empty()) return true;
      const auto is_done = [&](int w) { return bool(done[w]); };
      return x.any ? std::any_of(x.waits.begin(), x.waits.end(), is_done)
                   : std::all_of(x.waits.begin(), x.waits.end(), is_done);
    }
    return done[e];
  }

  bool probe_satisfied(int r, const event &x) const {
    return std::any_of(sends_.begin(), sends_.end(), [&](const message &m) {
      return !m.matched && matches(ev(m.rank, m.event), m.rank, x, r);
    });
  }

  void post(int r, int e) {
    const event &x = ev(r, e);
    auto &done = ranks_[r].completed;
    switch (x.kind) {
    case ev_kind::send:
      if (x.peer == kProcNull) {
        done[e] = true;
        return;
      }
      if (eager_ && x.mode == send_mode::standard) done[e] = true;
      offer_send(r, e);
      return;
    case ev_kind::recv:
      if (x.peer == kProcNull) {
        done[e] = true;
        return;
      }
      offer_recv(r, e);
      return;
    case ev_kind::collective: arrive(r, e); return;
    case ev_kind::abort: aborted_ = true; return;
    case ev_kind::probe:
    case ev_kind::wait: return;
    }
  }

  // Matching keeps one invariant: no open (unmatched) receive fits an open send. So a new send
  // can only go to the earliest open receive that fits it (receives are served in the order
  // they were posted), and a new receive only takes the earliest open send that fits it
  // (messages do not overtake). Each post costs the open receives of its destination, or the
  // open sends.
  void offer_send(int from, int e) {
    const event &x = ev(from, e);
    for (int to = 0; to < p_.np; ++to) {
      if (x.peer != to && x.peer != kUnknown) continue;
      auto &open = recvs_[to];
      while (!open.empty() && ranks_[to].completed[open.front()]) open.pop_front();
      for (int re : open)
        if (!ranks_[to].completed[re] && matches(x, from, ev(to, re), to)) {
          ranks_[from].completed[e] = ranks_[to].completed[re] = true;
          return;
        }
    }
    sends_.push_back({from, e});
  }

  void offer_recv(int to, int re) {
    while (!sends_.empty() && sends_.front().matched) sends_.pop_front();
    for (message &m : sends_)
      if (!m.matched && matches(ev(m.rank, m.event), m.rank, ev(to, re), to)) {
        m.matched = true;
        ranks_[m.rank].completed[m.event] = ranks_[to].completed[re] = true;
        return;
      }
    recvs_[to].push_back(re);
  }

  void arrive(int r, int e) {
    const event &x = ev(r, e);
    if (x.comm == kUnknownComm || x.comm == kSelf) {
      ranks_[r].completed[e] = true;
      return;
    }
    const instance in{x.comm, ranks_[r].collectives[x.comm]++};
    instance_[{r, e}] = in;
    auto &arrived = arrivals_[in];
    arrived[r] = e;
    if (arrived.size() < group(r, x.comm).size()) return;
    for (const auto &[rank, event] : arrived) ranks_[rank].completed[event] = true;
    if (mismatches_.empty()) check_same_collective(arrived); // after the first, all differ
  }

  // Every rank of one collective instance must call the same collective.
  void check_same_collective(const std::map<int, int> &arrived) {
    const auto &[r0, e0] = *arrived.begin();
    for (const auto &[r, e] : arrived)
      if (ev(r, e).call != ev(r0, e0).call) {
        issue i;
        i.kind = issue_kind::collective_mismatch;
        i.steps = {{r0, e0, {r}}, {r, e, {r0}}};
        mismatches_.push_back(i);
        return;
      }
  }

  const program &p_;
  const bool eager_;
  std::vector<rank_state> ranks_;
  std::deque<message> sends_;          // open sends, in posting order (matched ones at the
                                       // front are dropped lazily)
  std::vector<std::deque<int>> recvs_; // per rank: its open receives, in posting order
  std::map<instance, std::map<int, int>> arrivals_;  // rank -> its event
  std::map<std::pair<int, int>, instance> instance_; // (rank, event) -> its instance
  std::vector<issue> mismatches_;
  bool aborted_ = false;
};

bool is_collective_wait(const program &p, const step &s) {
  const event &e = p.ranks[s.rank].events[s.event];
  if (e.kind == ev_kind::collective) return true;
  if (e.kind != ev_kind::wait) return false;
  return std::any_of(e.waits.begin(), e.waits.end(),
                     [&](int w) { return p.ranks[s.rank].events[w].kind == ev_kind::collective; });
}

// One unmatched issue per call: ranks stuck at the same line on the same ranks are one finding.
void add_unmatched(const program &p, const step &s, std::vector<issue> &out) {
  const event &e = p.ranks[s.rank].events[s.event];
  for (issue &i : out) {
    const step &first = i.steps.front();
    const event &f = p.ranks[first.rank].events[first.event];
    if (i.kind == issue_kind::unmatched && !i.never_received && f.call == e.call &&
        f.where.file == e.where.file && f.where.line == e.where.line &&
        first.waits_for == s.waits_for) {
      i.steps.push_back(s);
      return;
    }
  }
  issue i;
  i.kind = issue_kind::unmatched;
  i.steps = {s};
  out.push_back(i);
}

// The issues of one run's stuck state: cycles among stuck ranks and ranks stuck on finished ones.
std::vector<issue> stuck_issues(const program &p, const run &r, bool eager) {
  wait_for stuck(p.np); // stuck rank -> the stuck ranks it waits for
  std::map<int, std::vector<int>> waits;
  std::vector<issue> out;
  for (int k = 0; k < p.np; ++k) {
    if (r.done(k)) continue;
    waits[k] = r.waits_for(k, r.pc(k));
    bool on_stuck = false;
    for (int w : waits[k])
      if (!r.done(w)) stuck.add(k, w), on_stuck = true;
    if (!on_stuck && eager) add_unmatched(p, {k, r.pc(k), waits[k]}, out);
  }
  // One cycle per group of ranks stuck on each other: overlapping cycles are one deadlock.
  for (const std::vector<int> &cycle : stuck.cycles()) {
    issue i;
    i.unbuffered = !eager;
    for (int c : cycle) i.steps.push_back({c, r.pc(c), waits[c]});
    const bool collective = std::any_of(i.steps.begin(), i.steps.end(),
                                        [&](const step &s) { return is_collective_wait(p, s); });
    const bool p2p = std::any_of(i.steps.begin(), i.steps.end(),
                                 [&](const step &s) { return !is_collective_wait(p, s); });
    i.kind = collective && p2p ? issue_kind::collective_mismatch
             : eager           ? issue_kind::deadlock
                               : issue_kind::buffering;
    out.push_back(i);
  }
  return out;
}

// Messages sent to a rank that finished without receiving them.
std::vector<issue> unreceived_issues(const program &p, const run &r) {
  std::vector<issue> out;
  for (const auto &[rank, e] : r.unreceived()) {
    const int to = p.ranks[rank].events[e].peer;
    const bool exists = known_rank(to) && to < p.np;
    if (!(to == kNoSuchRank || (exists && r.done(to)))) continue;
    issue i;
    i.kind = issue_kind::unmatched;
    i.never_received = true;
    i.steps = {{rank, e, exists ? std::vector<int>{to} : std::vector<int>{}}};
    out.push_back(i);
  }
  return out;
}

// Why the whole simulation is one possibility among several, or "": a wildcard receive that
// messages from two different ranks could match makes the outcome depend on timing.
std::string wildcard_race(const program &p) {
  for (int to = 0; to < p.np; ++to)
    for (const event &rv : p.ranks[to].events) {
      if (rv.kind != ev_kind::recv || (rv.peer != kAny && rv.peer != kUnknown)) continue;
      std::set<int> senders;
      for (int from = 0; from < p.np; ++from)
        for (const event &s : p.ranks[from].events)
          if (s.kind == ev_kind::send && matches(s, from, rv, to)) senders.insert(from);
      if (senders.size() > 1)
        return "the " + rv.call + " from any source at " + rv.where.file + ":" +
               std::to_string(rv.where.line) +
               " can match several senders; this is one matching order";
    }
  return "";
}

// Why an issue is not certain: an uncertain event of a rank in it, up to its step; or a rank
// whose trace is approximate among those that could have released it (for an unmatched call:
// any rank, since "no rank ever matches it" is a claim about all of them).
std::string uncertainty(const program &p, const issue &i) {
  std::set<int> involved;
  for (const step &s : i.steps) {
    const auto &events = p.ranks[s.rank].events;
    for (int e = 0; e <= s.event && e < int(events.size()); ++e)
      if (!events[e].uncertain.empty()) return events[e].uncertain;
    involved.insert(s.rank);
    involved.insert(s.waits_for.begin(), s.waits_for.end());
  }
  if (i.kind == issue_kind::unmatched)
    for (int r = 0; r < p.np; ++r) involved.insert(r);
  for (int r : involved) {
    if (!p.ranks[r].approximate.empty()) return p.ranks[r].approximate;
    if (!p.ranks[r].finished) return "rank " + std::to_string(r) + " was not evaluated to its end";
  }
  return "";
}

} // namespace

std::vector<issue> find_issues(const program &p) {
  const run eager(p, true);
  if (eager.aborted()) return {};
  std::vector<issue> out = eager.mismatches();
  for (issue &i : stuck_issues(p, eager, true)) out.push_back(std::move(i));
  for (issue &i : unreceived_issues(p, eager)) out.push_back(std::move(i));

  // Rendezvous-only cycles, unless a rank is stuck there in the same call as in an eager issue
  // (then it is the same bug seen earlier, e.g. a wrong tag, not a buffering hazard).
  const run rendezvous(p, false);
  if (!rendezvous.aborted()) {
    std::set<std::pair<int, int>> eager_steps;
    for (const issue &i : out)
      for (const step &s : i.steps) eager_steps.insert({s.rank, s.event});
    for (issue &i : stuck_issues(p, rendezvous, false)) {
      const bool same_bug = std::any_of(i.steps.begin(), i.steps.end(), [&](const step &s) {
        return eager_steps.count({s.rank, s.event}) > 0;
      });
      if (!same_bug) out.push_back(std::move(i));
    }
  }
  const std::string race = wildcard_race(p);
  for (issue &i : out) {
    i.uncertain = uncertainty(p, i);
    if (i.uncertain.empty()) i.uncertain = race;
  }
  return out;
}

} // namespace gridlock::analyzer::mpi
