// wait_graph: unit tests of the AND-OR semantics, then thousands of random operation sequences
// checked against a naive reference model (a plain fixpoint over sets). The seed is printed;
// rerun one with GRIDLOCK_TEST_SEED=<seed>.
#include "wait_graph.hpp"

#include "seed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>

using gridlock::detail::deadlock_group;
using gridlock::detail::wait_graph;

namespace {

// Owns the wait records a test hands to the graph.
struct waits {
  std::vector<std::unique_ptr<gl_wait>> all;
  gl_wait *make(gl_actor_id a, std::vector<gl_target> targets, bool all_of = false,
                bool timed = false) {
    auto w = std::make_unique<gl_wait>();
    w->seq = all.size() + 1;
    w->actor = a;
    w->op = GL_OP_CUSTOM;
    w->all = all_of;
    w->timed = timed;
    w->targets = std::move(targets);
    w->since = gl_wait::clock::now();
    all.push_back(std::move(w));
    return all.back().get();
  }
  // Actor a joining actor `joined`.
  gl_wait *join(gl_actor_id a, gl_actor_id joined) {
    gl_wait *w = make(a, {{GL_TARGET_ACTOR, joined, 0, GL_END_SEND}});
    w->op = GL_OP_JOIN;
    return w;
  }
};

gl_target actor(gl_actor_id a) { return {GL_TARGET_ACTOR, a, 0, GL_END_SEND}; }
gl_target holders(gl_resource_id r, gl_end e) { return {GL_TARGET_HOLDERS, 0, r, e}; }
gl_target owner(gl_resource_id r) { return {GL_TARGET_OWNER, 0, r, GL_END_SEND}; }
gl_target anyone() { return {GL_TARGET_ANY_ACTOR, 0, 0, GL_END_SEND}; }

std::set<gl_actor_id> deadlocked(const std::vector<deadlock_group> &groups) {
  std::set<gl_actor_id> out;
  for (const auto &g : groups) out.insert(g.members.begin(), g.members.end());
  return out;
}

// A graph, the waits handed to it, and actors 1..n added on demand.
class WaitGraph : public ::testing::Test {
protected:
  void add_actors(gl_actor_id n) {
    for (gl_actor_id a = 1; a <= n; ++a) g.add_actor(a, "actor-" + std::to_string(a));
  }
  wait_graph g;
  waits w;
};

} // namespace

TEST_F(WaitGraph, TwoActorsWaitingOnEachOther) {
  add_actors(3);
  g.begin_wait(w.make(1, {actor(2)}));
  EXPECT_TRUE(g.find_deadlocks(false).empty());
  g.begin_wait(w.make(2, {actor(1)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cycle, (std::vector<gl_actor_id>{1, 2}));
  EXPECT_TRUE(groups[0].definite);
  EXPECT_FALSE(groups[0].global);
}

TEST_F(WaitGraph, ReleasedWaitIsLive) {
  add_actors(3);
  g.begin_wait(w.make(1, {actor(2)}));
  gl_wait *b = w.make(2, {actor(1)});
  g.begin_wait(b);
  b->released = true; // the releaser claimed it; the waiter has not run yet
  EXPECT_TRUE(g.find_deadlocks(false).empty());
}

TEST_F(WaitGraph, TimedWaitIsLive) {
  add_actors(3);
  g.begin_wait(w.make(1, {actor(2)}));
  g.begin_wait(w.make(2, {actor(1)}, false, true));
  EXPECT_TRUE(g.find_deadlocks(false).empty());
}

TEST_F(WaitGraph, ChannelEndHoldersReleaseWaits) {
  add_actors(3);
  g.add_resource(10, "channel", "c", 0);
  g.hold(10, GL_END_SEND, 2, GL_HOLD_EXACT, +1);
  g.begin_wait(w.make(1, {holders(10, GL_END_SEND)}));
  EXPECT_TRUE(g.find_deadlocks(false).empty()); // the sender is live
  g.begin_wait(w.make(2, {actor(1)}));
  EXPECT_EQ(deadlocked(g.find_deadlocks(false)), (std::set<gl_actor_id>{1, 2}));
  // A second, live holder of the send end saves the receiver.
  g.hold(10, GL_END_SEND, 3, GL_HOLD_EXACT, +1);
  EXPECT_TRUE(g.find_deadlocks(false).empty());
}

TEST_F(WaitGraph, UnknownHolderCountsAsLive) {
  add_actors(3);
  g.add_resource(10, "channel", "c", 0);
  g.hold(10, GL_END_SEND, 2, GL_HOLD_EXACT, +1);
  g.hold(10, GL_END_SEND, 0, GL_HOLD_UNKNOWN, +1);
  g.begin_wait(w.make(1, {holders(10, GL_END_SEND)}));
  g.begin_wait(w.make(2, {actor(1)}));
  EXPECT_TRUE(g.find_deadlocks(false).empty());
  g.hold(10, GL_END_SEND, 0, GL_HOLD_UNKNOWN, -1);
  EXPECT_EQ(deadlocked(g.find_deadlocks(false)).size(), 2u);
}

TEST_F(WaitGraph, InferredHoldingGivesProbable) {
  add_actors(3);
  g.add_resource(10, "channel", "c", 0);
  g.hold(10, GL_END_SEND, 2, GL_HOLD_INFERRED, +1);
  g.begin_wait(w.make(1, {holders(10, GL_END_SEND)}));
  g.begin_wait(w.make(2, {actor(1)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_FALSE(groups[0].definite);
}

TEST_F(WaitGraph, ExitedActorHoldsNothing) {
  add_actors(3);
  g.add_resource(10, "channel", "c", 0);
  g.hold(10, GL_END_SEND, 2, GL_HOLD_EXACT, +1);
  g.begin_wait(w.make(1, {holders(10, GL_END_SEND)}));
  EXPECT_TRUE(g.find_deadlocks(false).empty());
  g.remove_actor(2); // exited without closing (its handle leaked elsewhere)
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].members, (std::vector<gl_actor_id>{1}));
  EXPECT_TRUE(groups[0].cycle.empty());
}

TEST_F(WaitGraph, MutexOwnerAndUnknownOwner) {
  add_actors(3);
  g.add_resource(20, "mutex", "m", -1);
  g.begin_wait(w.make(1, {owner(20)}));
  EXPECT_TRUE(g.find_deadlocks(false).empty()); // owner unknown: live
  g.set_owner(20, 2);
  g.begin_wait(w.make(2, {actor(1)}));
  EXPECT_EQ(g.find_deadlocks(false).size(), 1u);
}

// A pthread mutex names its new owner before the waiter's wait ends; gridlock's own primitives
// release the wait first, so there an owner that is the waiter is a self-deadlock (a relock).
TEST_F(WaitGraph, ThreadIdOwnerThatIsTheWaiterHasTheLock) {
  add_actors(3); // 3 runs: nothing is global
  g.set_thread(1, 1001);
  g.add_resource(20, "mutex", "m", -1);
  int owner_tid = 1001;
  g.watch_owner_tid(20, &owner_tid);
  g.begin_wait(w.make(1, {owner(20)}));
  g.begin_wait(w.make(2, {actor(1)}));
  EXPECT_TRUE(g.find_deadlocks(false).empty());
  g.add_resource(21, "mutex", "n", -1);
  g.set_owner(21, 2);
  g.end_wait(g.actor(2)->wait);
  g.begin_wait(w.make(2, {owner(21)})); // its own gridlock::mutex: a self-deadlock
  EXPECT_EQ(g.find_deadlocks(false).size(), 1u);
}

// gl_owner_watch_tid: the owner is a kernel thread id (glibc's __data.__owner), mapped to an actor.
TEST_F(WaitGraph, OwnerWatchedByThreadId) {
  add_actors(3);
  g.set_thread(1, 1001);
  g.set_thread(2, 1002);
  g.add_resource(20, "mutex", "m", -1);
  int owner_tid = 1002;
  g.watch_owner_tid(20, &owner_tid);
  g.begin_wait(w.make(1, {owner(20)}));
  g.begin_wait(w.make(2, {actor(1)}));
  ASSERT_EQ(g.find_deadlocks(false).size(), 1u); // 1 waits for 2 (tid 1002), 2 for 1
  owner_tid = 4242;                              // a thread that is not an actor: unknown, live
  EXPECT_TRUE(g.find_deadlocks(false).empty());
  owner_tid = 0; // free
  EXPECT_TRUE(g.find_deadlocks(false).empty());
}

TEST_F(WaitGraph, OwnerThreadThatExitedNeverUnlocks) {
  add_actors(3);
  g.set_thread(2, 1002);
  g.add_resource(20, "mutex", "m", -1);
  int owner_tid = 1002;
  g.watch_owner_tid(20, &owner_tid);
  g.remove_actor(2); // exits holding the mutex
  g.begin_wait(w.make(1, {owner(20)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].members, std::vector<gl_actor_id>{1});
  g.set_thread(3, 1002); // the kernel reuses the id for a live thread: 3 owns it now
  EXPECT_EQ(g.owner_of(*g.resource(20)), 3u);
}

TEST_F(WaitGraph, AndWaitNeedsEveryTarget) {
  add_actors(3);
  g.begin_wait(w.make(3, {actor(1)}));
  gl_wait *and_wait = w.make(1, {actor(2), actor(3)}, true);
  g.begin_wait(and_wait);
  EXPECT_EQ(deadlocked(g.find_deadlocks(false)), (std::set<gl_actor_id>{1, 3}));
  // The same wait as an OR: the live actor can release it.
  g.end_wait(and_wait);
  g.begin_wait(w.make(1, {actor(2), actor(3)}, false));
  EXPECT_TRUE(g.find_deadlocks(false).empty());
}

TEST_F(WaitGraph, AnyActorWaitAndUntrackedThreads) {
  add_actors(2);
  g.begin_wait(w.make(1, {anyone()}));
  g.begin_wait(w.make(2, {actor(1)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].global);
  EXPECT_TRUE(groups[0].definite);
  EXPECT_TRUE(g.find_deadlocks(true).empty()); // another thread may still post
}

TEST_F(WaitGraph, JoinOfAnExitedThreadIsNotAWait) {
  add_actors(3);
  g.begin_wait(w.join(1, 2));
  g.remove_actor(2);
  EXPECT_TRUE(g.find_deadlocks(false).empty());
  EXPECT_EQ(g.blocked_count(), 1u);
}

TEST_F(WaitGraph, ShortestCycleIsReportedInOrder) {
  add_actors(7); // 7: a bystander
  // 1 -> 2 -> 3 -> 4 -> 5 -> 1 and a chord 3 -> 1; 6 waits on 1.
  g.begin_wait(w.make(1, {actor(2)}));
  g.begin_wait(w.make(2, {actor(3)}));
  g.begin_wait(w.make(3, {actor(4), actor(1)}));
  g.begin_wait(w.make(4, {actor(5)}));
  g.begin_wait(w.make(5, {actor(1)}));
  g.begin_wait(w.make(6, {actor(1)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cycle, (std::vector<gl_actor_id>{1, 2, 3}));
  EXPECT_EQ(groups[0].members.size(), 6u);
}

TEST_F(WaitGraph, ThousandActorRing) {
  constexpr gl_actor_id n = 1000;
  add_actors(n + 1);
  for (gl_actor_id a = 1; a <= n; ++a) g.begin_wait(w.make(a, {actor(a % n + 1)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cycle.size(), n);
}

TEST_F(WaitGraph, CycleStartsAtItsOldestWaitThatIsNotAJoin) {
  add_actors(3);
  g.begin_wait(w.join(1, 2)); // the oldest wait, a join
  g.begin_wait(w.make(3, {actor(1)}));
  g.begin_wait(w.make(2, {actor(3)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cycle, (std::vector<gl_actor_id>{3, 1, 2}));
}

TEST_F(WaitGraph, MembersOutsideTheCycleAreListedOldestFirstJoinsLast) {
  add_actors(5);
  g.begin_wait(w.join(5, 1));
  g.begin_wait(w.make(4, {actor(1)}));
  g.begin_wait(w.make(1, {actor(2)}));
  g.begin_wait(w.make(3, {actor(2)}));
  g.begin_wait(w.make(2, {actor(1)}));
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].members, (std::vector<gl_actor_id>{1, 2, 4, 3, 5}));
}

// Two actors in a cycle through the handles their threads were started with; actor 3 ("main")
// made both channels and keeps its unused originals.
class UnusedCopies : public WaitGraph {
protected:
  void cross(gl_holding how) {
    add_actors(3);
    g.add_resource(10, "channel", "to-1", 0);
    g.add_resource(20, "channel", "to-2", 0);
    for (gl_resource_id r : {10, 20})
      for (gl_end e : {GL_END_SEND, GL_END_RECV}) g.hold(r, e, 3, GL_HOLD_UNUSED, +1);
    g.hold(10, GL_END_RECV, 1, how, +1);
    g.hold(20, GL_END_SEND, 1, how, +1);
    g.hold(20, GL_END_RECV, 2, how, +1);
    g.hold(10, GL_END_SEND, 2, how, +1);
    g.begin_wait(w.make(1, {holders(20, GL_END_RECV)})); // 1 sends to 2
    g.begin_wait(w.make(2, {holders(10, GL_END_RECV)})); // 2 sends to 1
  }
  // Actor 1 sends on a channel whose only receive end is the unused one of actor 2 ("main"),
  // which joins actor 1; `actors` of them exist.
  void send_while_main_joins(gl_actor_id actors) {
    add_actors(actors);
    g.add_resource(10, "channel", "c", 0);
    g.hold(10, GL_END_RECV, 2, GL_HOLD_UNUSED, +1);
    g.begin_wait(w.make(1, {holders(10, GL_END_RECV)}));
    g.begin_wait(w.join(2, 1));
  }
};

TEST_F(UnusedCopies, AreNotAWayOutOfACycleOfInferredHoldings) {
  cross(GL_HOLD_INFERRED);
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].cycle, (std::vector<gl_actor_id>{1, 2}));
  EXPECT_FALSE(groups[0].definite);
  EXPECT_EQ(groups[0].unless, (std::vector<gridlock::detail::unused_copy>{{3, 20, GL_END_RECV},
                                                                          {3, 10, GL_END_RECV}}));
}

TEST_F(UnusedCopies, LeaveACycleOfExactHoldingsDefinite) {
  cross(GL_HOLD_EXACT);
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].definite);
  EXPECT_TRUE(groups[0].unless.empty());
}

TEST_F(UnusedCopies, AreNamedAsTheWaysOutOfAWait) {
  cross(GL_HOLD_INFERRED);
  EXPECT_EQ(g.unused_copies(1), (std::vector<gridlock::detail::unused_copy>{{3, 20, GL_END_RECV}}));
  EXPECT_EQ(g.releasers(1), (std::vector<gl_actor_id>{2}));
}

TEST_F(UnusedCopies, AreAWayOutWhenNoCycleNeedsThem) {
  // A consumer that has not received yet may use main's handle by reference (a [&] capture):
  // actor 1 waits in a send whose only receive end is main's unused one, main joins actor 1.
  send_while_main_joins(3);
  EXPECT_TRUE(g.find_deadlocks(false).empty()); // actor 3 runs: it may be the consumer
}

TEST_F(UnusedCopies, ExplainAGlobalDeadlockWhenNothingElseDoes) {
  // The same, with every actor blocked: the cycle runs through main's unused copy.
  send_while_main_joins(2);
  const auto groups = g.find_deadlocks(false);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].global);
  EXPECT_EQ(groups[0].cycle, (std::vector<gl_actor_id>{1, 2}));
}

// ---------------------------------------------------------------------------------------------
// Randomized: the graph against a naive model.

namespace {

struct naive_model {
  struct resource {
    std::map<gl_actor_id, long> holders[2]; // exact and inferred
    std::map<gl_actor_id, long> unused[2];  // made and never used
    long unknown[2] = {0, 0};
    gl_actor_id owner = 0;
  };
  std::set<gl_actor_id> alive;
  std::map<gl_resource_id, resource> resources;
  std::map<gl_actor_id, gl_wait *> waits;

  bool blocked(gl_actor_id a) const {
    auto it = waits.find(a);
    if (it == waits.end()) return false;
    const gl_wait *w = it->second;
    if (w->timed || w->released) return false;
    return !(w->op == GL_OP_JOIN && !alive.count(w->targets[0].actor));
  }
  // Who can release target t of actor self; `live` if someone unknown can; `unused` gets the
  // holders of unused copies.
  std::set<gl_actor_id> releasers(gl_actor_id self, const gl_target &t, bool untracked, bool &live,
                                  std::set<gl_actor_id> *unused = nullptr) const {
    std::set<gl_actor_id> out;
    live = false;
    if (t.kind == GL_TARGET_ACTOR) {
      if (alive.count(t.actor)) out.insert(t.actor);
    } else if (t.kind == GL_TARGET_HOLDERS) {
      auto r = resources.find(t.resource);
      if (r == resources.end()) {
        live = true;
      } else {
        live = r->second.unknown[t.end] > 0;
        for (auto [a, n] : r->second.holders[t.end])
          if (n > 0 && alive.count(a)) out.insert(a);
        for (auto [a, n] : r->second.unused[t.end])
          if (unused && n > 0 && alive.count(a) && a != self && !out.count(a)) unused->insert(a);
      }
    } else if (t.kind == GL_TARGET_OWNER) {
      auto r = resources.find(t.resource);
      if (r == resources.end() || r->second.owner == 0)
        live = true;
      else if (alive.count(r->second.owner))
        out.insert(r->second.owner);
    } else {
      live = untracked;
      for (gl_actor_id a : alive)
        if (a != self) out.insert(a);
    }
    return out;
  }
  // Releasers of all of a's targets (strong), and holders of unused copies.
  std::set<gl_actor_id> all_releasers(gl_actor_id a, bool untracked,
                                      std::set<gl_actor_id> *unused = nullptr) const {
    std::set<gl_actor_id> out;
    for (const auto &t : waits.at(a)->targets) {
      bool live;
      const auto who = releasers(a, t, untracked, live, unused);
      out.insert(who.begin(), who.end());
    }
    return out;
  }
  // Blocked actors that cannot progress; `unused_live`: unused copies are a way out.
  std::set<gl_actor_id> stuck(bool untracked, bool unused_live) const {
    std::set<gl_actor_id> progress, stuck;
    for (gl_actor_id a : alive) (blocked(a) ? stuck : progress).insert(a);
    if (!untracked && progress.empty()) return stuck; // global
    for (bool changed = true; changed;) {
      changed = false;
      for (gl_actor_id a : alive) {
        if (progress.count(a)) continue;
        const gl_wait *w = waits.at(a);
        std::size_t ok = 0;
        for (const auto &t : w->targets) {
          bool live;
          std::set<gl_actor_id> unused;
          const auto who = releasers(a, t, untracked, live, &unused);
          if (live || (unused_live && !unused.empty()) ||
              std::any_of(who.begin(), who.end(),
                          [&](gl_actor_id r) { return progress.count(r) > 0; }))
            ++ok;
        }
        if (w->all ? ok == w->targets.size() : ok > 0) {
          progress.insert(a);
          changed = true;
        }
      }
    }
    std::set<gl_actor_id> out;
    for (gl_actor_id a : stuck)
      if (!progress.count(a)) out.insert(a);
    return out;
  }
  // What is reported (deadlock_group's rule): of the actors stuck while unused copies are not a
  // way out, grouped by releaser edges, a group with a cycle of releasers entirely, others only
  // where they stay stuck with unused copies as a way out.
  std::set<gl_actor_id> deadlocked(bool untracked) const {
    const std::set<gl_actor_id> strict = stuck(untracked, false), lenient = stuck(untracked, true);
    bool global = !untracked && !alive.empty();
    for (gl_actor_id a : alive) global = global && blocked(a);
    std::map<gl_actor_id, gl_actor_id> parent; // union-find over strict
    for (gl_actor_id a : strict) parent[a] = a;
    std::function<gl_actor_id(gl_actor_id)> root = [&](gl_actor_id a) {
      return parent[a] == a ? a : parent[a] = root(parent[a]);
    };
    std::map<gl_actor_id, std::set<gl_actor_id>> out_edges;
    for (gl_actor_id a : strict) {
      std::set<gl_actor_id> unused;
      const auto rel = all_releasers(a, untracked, &unused);
      for (gl_actor_id r : rel)
        if (strict.count(r)) out_edges[a].insert(r);
      for (gl_actor_id r : global &&rel.empty() ? unused : rel)
        if (strict.count(r)) parent[root(a)] = root(r);
    }
    std::map<gl_actor_id, std::set<gl_actor_id>> groups;
    for (gl_actor_id a : strict) groups[root(a)].insert(a);
    std::set<gl_actor_id> out;
    for (const auto &[r, members] : groups) {
      std::set<gl_actor_id> left = members; // peel actors with no edge inside: a cycle remains
      for (bool changed = true; changed;) {
        changed = false;
        for (gl_actor_id a : std::set<gl_actor_id>(left))
          if (std::none_of(out_edges[a].begin(), out_edges[a].end(),
                           [&](gl_actor_id b) { return left.count(b) > 0; })) {
            left.erase(a);
            changed = true;
          }
      }
      for (gl_actor_id a : members)
        if (!left.empty() || lenient.count(a)) out.insert(a);
    }
    return out;
  }
};

} // namespace

TEST(WaitGraphRandom, MatchesNaiveModel) {
  const std::uint64_t seed = gridlock::testing::test_seed();
  std::mt19937_64 rng(seed);
  auto pick = [&](auto lo, auto hi) {
    return std::uniform_int_distribution<decltype(lo)>(lo, hi)(rng);
  };
  constexpr int kSequences = 3000, kOps = 60;
  for (int seq = 0; seq < kSequences; ++seq) {
    wait_graph g;
    naive_model m;
    waits w;
    gl_actor_id next_actor = 1;
    gl_resource_id next_res = 100;
    std::vector<gl_resource_id> res;
    std::vector<gl_actor_id> ever;
    auto some_actor = [&]() -> gl_actor_id {
      return ever.empty() ? 0 : ever[pick(std::size_t{0}, ever.size() - 1)];
    };
    auto some_res = [&]() -> gl_resource_id {
      return res.empty() ? 999 : res[pick(std::size_t{0}, res.size() - 1)];
    };
    for (int op = 0; op < kOps; ++op) {
      switch (pick(0, 9)) {
      case 0: {
        const gl_actor_id a = next_actor++;
        g.add_actor(a, "a");
        m.alive.insert(a);
        ever.push_back(a);
        break;
      }
      case 1: {
        const gl_actor_id a = some_actor();
        if (!m.alive.count(a) || pick(0, 2)) break; // exits are rarer
        g.remove_actor(a);
        m.alive.erase(a);
        m.waits.erase(a);
        for (auto &[id, r] : m.resources) {
          for (auto &h : r.holders) h.erase(a);
          for (auto &h : r.unused) h.erase(a);
        }
        break;
      }
      case 2: {
        const gl_resource_id r = next_res++;
        g.add_resource(r, "channel", "r", 0);
        m.resources[r];
        res.push_back(r);
        break;
      }
      case 3:
      case 4: { // hold or release an end
        const gl_resource_id r = some_res();
        const gl_end e = pick(0, 1) ? GL_END_RECV : GL_END_SEND;
        const int delta = pick(0, 3) ? +1 : -1;
        const int how = pick(0, 6);
        if (!m.resources.count(r)) break;
        if (how == 0) {
          g.hold(r, e, 0, GL_HOLD_UNKNOWN, delta);
          m.resources[r].unknown[e] += delta;
        } else {
          const gl_actor_id a = some_actor();
          const gl_holding h = how == 1   ? GL_HOLD_INFERRED
                               : how == 2 ? GL_HOLD_UNUSED
                                          : GL_HOLD_EXACT;
          g.hold(r, e, a, h, delta);
          if (a == 0)
            m.resources[r].unknown[e] += delta; // "no actor" is an unknown holder
          else if (m.alive.count(a))
            (h == GL_HOLD_UNUSED ? m.resources[r].unused : m.resources[r].holders)[e][a] += delta;
        }
        break;
      }
      case 5: {
        const gl_resource_id r = some_res();
        const gl_actor_id o = pick(0, 3) ? some_actor() : 0;
        g.set_owner(r, o);
        if (m.resources.count(r)) m.resources[r].owner = o;
        break;
      }
      case 6:
      case 7: { // begin a wait
        const gl_actor_id a = some_actor();
        if (!m.alive.count(a) || m.waits.count(a)) break;
        std::vector<gl_target> ts;
        for (int t = pick(1, 3); t > 0; --t) {
          switch (pick(0, 3)) {
          case 0: ts.push_back(actor(some_actor())); break;
          case 1: ts.push_back(holders(some_res(), pick(0, 1) ? GL_END_RECV : GL_END_SEND)); break;
          case 2: ts.push_back(owner(some_res())); break;
          default: ts.push_back(anyone()); break;
          }
        }
        gl_wait *wt = w.make(a, ts, pick(0, 2) == 0, pick(0, 9) == 0);
        if (pick(0, 9) == 0) {
          wt->op = GL_OP_JOIN;
          wt->targets = {actor(some_actor())};
        }
        g.begin_wait(wt);
        m.waits[a] = wt;
        break;
      }
      case 8: { // end a wait
        const gl_actor_id a = some_actor();
        auto it = m.waits.find(a);
        if (it == m.waits.end()) break;
        g.end_wait(it->second);
        m.waits.erase(it);
        break;
      }
      default: { // a releaser marks a wait released
        const gl_actor_id a = some_actor();
        if (auto it = m.waits.find(a); it != m.waits.end()) it->second->released = true;
        break;
      }
      }
      const bool untracked = pick(0, 3) == 0;
      const auto groups = g.find_deadlocks(untracked);
      ASSERT_EQ(deadlocked(groups), m.deadlocked(untracked))
          << "seed " << seed << ", sequence " << seq << ", op " << op;
      // Every reported cycle is made of real wait-for edges.
      for (const auto &grp : groups)
        for (std::size_t i = 0; i < grp.cycle.size(); ++i) {
          const gl_actor_id from = grp.cycle[i], to = grp.cycle[(i + 1) % grp.cycle.size()];
          bool edge = false;
          for (const auto &t : m.waits.at(from)->targets) {
            bool live;
            std::set<gl_actor_id> unused; // a global deadlock's explanation may use them
            edge = edge || m.releasers(from, t, untracked, live, &unused).count(to) > 0 ||
                   (grp.global && unused.count(to) > 0);
          }
          ASSERT_TRUE(edge) << "seed " << seed << ", sequence " << seq << ": no edge " << from
                            << " -> " << to;
        }
    }
  }
}

// Fairness: a younger wait served on the same resource overtakes an older one; a select served
// by one of its several resources overtakes nobody (which one served it is not known: a select
// woken by its ticker must not count as served on its other channel).
TEST_F(WaitGraph, OnlyAWaitOnOneResourceOvertakesOlderWaitsOnIt) {
  add_actors(3);
  g.add_resource(10, "channel", "jobs", 0);
  g.add_resource(11, "timer", "tick", 1);
  gl_wait *old = w.make(1, {holders(10, GL_END_SEND)});
  g.begin_wait(old);
  for (int round = 0; round < 3; ++round) {
    gl_wait *sel = w.make(2, {holders(10, GL_END_SEND), holders(11, GL_END_SEND)});
    g.begin_wait(sel);
    sel->released = true;
    g.end_wait(sel);
  }
  EXPECT_EQ(g.bypass_of(*old), 0u);
  gl_wait *single = w.make(3, {holders(10, GL_END_SEND)});
  g.begin_wait(single);
  single->released = true;
  g.end_wait(single);
  EXPECT_EQ(g.bypass_of(*old), 1u);
}
