// gridlock-check's cycle search (wait_for): one test per shape, and a randomized comparison with a
// naive model (reachability by Floyd–Warshall) with a printed, replayable seed.
#include "cycles.hpp"
#include "seed.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

using gridlock::analyzer::wait_for;
using cycles = std::vector<std::vector<int>>;

TEST(WaitFor, NoEdgesNoCycle) { EXPECT_EQ(wait_for(3).cycles(), cycles{}); }

TEST(WaitFor, AChainIsNoCycle) {
  wait_for g(3);
  g.add(0, 1);
  g.add(1, 2);
  EXPECT_EQ(g.cycles(), cycles{});
}

TEST(WaitFor, TwoActorsWaitingForEachOther) {
  wait_for g(2);
  g.add(1, 0);
  g.add(0, 1);
  g.add(0, 1); // twice: one edge
  EXPECT_EQ(g.cycles(), (cycles{{0, 1}}));
}

TEST(WaitFor, AnActorWaitingForItself) {
  wait_for g(2);
  g.add(1, 1);
  EXPECT_EQ(g.cycles(), (cycles{{1}}));
}

TEST(WaitFor, TheShortestCycleThroughTheLowestActor) {
  wait_for g(4); // 0 -> 1 -> 2 -> 3 -> 0 and the shortcut 1 -> 0
  g.add(0, 1);
  g.add(1, 2);
  g.add(2, 3);
  g.add(3, 0);
  g.add(1, 0);
  EXPECT_EQ(g.cycles(), (cycles{{0, 1}}));
}

TEST(WaitFor, OneCyclePerComponentInOrderOfTheirLowestActor) {
  wait_for g(5); // {1, 4} and {0, 2, 3}
  g.add(4, 1);
  g.add(1, 4);
  g.add(2, 3);
  g.add(3, 0);
  g.add(0, 2);
  g.add(4, 0); // joins the components one way only
  EXPECT_EQ(g.cycles(), (cycles{{0, 2, 3}, {1, 4}}));
}

// Against the naive model: an actor is on a cycle iff it reaches itself; actors on cycles that
// reach each other are one component. Each reported cycle is a real cycle (every step an edge),
// as short as the shortest closed walk through its first actor, one per component.
TEST(WaitFor, AgreesWithNaiveReachability) {
  const std::uint64_t s = gridlock::testing::test_seed();
  std::mt19937_64 rng(s);
  for (int round = 0; round < 500; ++round) {
    const int n = 1 + static_cast<int>(rng() % 8);
    constexpr int kFar = 1000;
    std::vector<std::vector<int>> dist(n, std::vector<int>(n, kFar));
    wait_for g(n);
    for (int k = static_cast<int>(rng() % (2 * n + 1)); k > 0; --k) {
      const int a = static_cast<int>(rng() % n), b = static_cast<int>(rng() % n);
      g.add(a, b);
      dist[a][b] = 1;
    }
    for (int k = 0; k < n; ++k)
      for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) dist[i][j] = std::min(dist[i][j], dist[i][k] + dist[k][j]);
    std::set<int> on_cycle_components; // lowest actor of each component with a cycle
    for (int v = 0; v < n; ++v) {
      if (dist[v][v] >= kFar) continue;
      int lowest = v;
      for (int u = 0; u < v; ++u)
        if (dist[u][u] < kFar && dist[u][v] < kFar && dist[v][u] < kFar)
          lowest = std::min(lowest, u);
      on_cycle_components.insert(lowest);
    }
    const cycles found = g.cycles();
    std::set<int> firsts;
    for (const auto &c : found) {
      ASSERT_FALSE(c.empty());
      firsts.insert(c.front());
      EXPECT_EQ(static_cast<int>(c.size()), dist[c.front()][c.front()]) << "seed " << s;
      for (std::size_t i = 0; i < c.size(); ++i)
        EXPECT_EQ(dist[c[i]][c[(i + 1) % c.size()]], 1) << "seed " << s << " round " << round;
    }
    ASSERT_EQ(firsts, on_cycle_components) << "seed " << s << " round " << round;
    ASSERT_EQ(found.size(), firsts.size()) << "seed " << s;
  }
}
