// Stress, bounded in time: real threads, real traffic.
//
// MixedTraffic: producers send numbered messages over channels of random capacities (rendezvous to
// unbounded) and post to mailboxes, with timed and untimed operations mixed; consumers drain them
// until the channels close. Every message must arrive exactly once, nothing may be reported, and
// the wait graph must shrink back once everybody has exited.
// RandomDeadlocks: rings of random sizes deadlock among live traffic; each is reported exactly
// once, with exactly its members.
//
// Size: GRIDLOCK_STRESS_ACTORS (default 64) and GRIDLOCK_STRESS_MESSAGES (default 50,000) — the
// full size is 1000 and 1000000. Seed: printed; GRIDLOCK_TEST_SEED replays it.
#include "report_dir.hpp"
#include "runtime.hpp"
#include "seed.hpp"

#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <mutex>
#include <random>
#include <set>

namespace {

std::size_t env_size(const char *name, std::size_t fallback) {
  const char *v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::size_t graph_actors() {
  auto &rt = gridlock::detail::runtime::get();
  auto lk = rt.lock_graph();
  return rt.graph().actor_count();
}

std::size_t graph_blocked() {
  auto &rt = gridlock::detail::runtime::get();
  auto lk = rt.lock_graph();
  return rt.graph().blocked_count();
}

} // namespace

TEST(Stress, MixedTrafficDeliversEveryMessageExactlyOnceAndReportsNothing) {
  const std::size_t actors = std::max<std::size_t>(4, env_size("GRIDLOCK_STRESS_ACTORS", 64));
  const std::size_t messages = env_size("GRIDLOCK_STRESS_MESSAGES", 50'000);
  const std::size_t producers = actors / 2, consumers = actors - producers;
  const std::size_t per_producer = messages / producers;
  std::mt19937_64 rng(gridlock::testing::test_seed());
  gridlock::testing::report_dir dir("", 50);
  std::atomic<int> findings{0};
  gridlock::on_finding([&](const gridlock::finding_summary &) { ++findings; });
  gridlock::this_actor(); // the test thread is an actor throughout (it creates the channels)
  const std::size_t actors_before = graph_actors();

  std::vector<std::atomic<std::uint8_t>> seen(producers * per_producer);
  std::vector<gridlock::sender<std::uint64_t>> to;
  std::vector<gridlock::receiver<std::uint64_t>> from;
  for (std::size_t c = 0; c < consumers; ++c) {
    const std::size_t caps[] = {0, 1, 4, 64, 0};
    const std::size_t cap = caps[rng() % 5];
    auto [tx, rx] = rng() % 5 == 4 ? gridlock::make_unbounded_channel<std::uint64_t>()
                                   : gridlock::make_channel<std::uint64_t>(cap);
    to.push_back(std::move(tx));
    from.push_back(std::move(rx));
  }
  std::vector<gridlock::mailbox<std::uint64_t> *> boxes(consumers);
  std::latch boxes_ready(static_cast<std::ptrdiff_t>(consumers));
  std::atomic<std::size_t> producers_left{producers};
  const auto receive = [&](std::uint64_t m) { seen.at(m).fetch_add(1, std::memory_order_relaxed); };
  {
    std::vector<gridlock::thread> threads;
    for (std::size_t c = 0; c < consumers; ++c)
      threads.emplace_back(
          "consumer-" + std::to_string(c),
          [&, c, timed = rng() % 2 == 0](gridlock::receiver<std::uint64_t> in) {
            gridlock::mailbox<std::uint64_t> box("inbox-" + std::to_string(c));
            boxes[c] = &box;
            boxes_ready.count_down();
            for (;;) {
              const std::optional<std::uint64_t> m =
                  timed ? in.recv_for(std::chrono::microseconds(200)) : in.recv();
              while (auto e = box.try_receive()) receive(e->message);
              if (m) {
                receive(*m);
                continue;
              }
              if (!timed) break;                // closed and drained
              if (producers_left.load() == 0) { // timed out, nobody left: take what is buffered
                while (auto rest = in.try_recv()) receive(*rest);
                break;
              }
            }
            while (auto e = box.try_receive()) receive(e->message);
          },
          std::move(from[c]));
    boxes_ready.wait();
    for (std::size_t p = 0; p < producers; ++p)
      threads.emplace_back(
          "producer-" + std::to_string(p),
          [&, p, seed = rng()](std::vector<gridlock::sender<std::uint64_t>> out) {
            std::mt19937_64 r(seed);
            for (std::size_t i = 0; i < per_producer; ++i) {
              const std::uint64_t m = p * per_producer + i;
              const std::size_t c = r() % out.size();
              if (r() % 8 == 0) {
                boxes[c]->post(m, static_cast<int>(r() % 3));
              } else if (r() % 4 == 0) {
                std::uint64_t v = m;
                while (!out[c].send_for(v, std::chrono::microseconds(100))) {
                }
              } else {
                out[c].send(m);
              }
            }
            --producers_left; // every send and post of this producer is done
          },
          to); // each producer holds a copy of every sender: the channels close when all are done
    to.clear();
  }
  gridlock::on_finding(nullptr);
  std::size_t missing = 0, duplicated = 0;
  for (const auto &s : seen) {
    missing += s.load() == 0;
    duplicated += s.load() > 1;
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(duplicated, 0u);
  EXPECT_EQ(findings.load(), 0);
  EXPECT_TRUE(dir.reports().empty());
  EXPECT_EQ(graph_blocked(), 0u);
  EXPECT_EQ(graph_actors(), actors_before); // every actor of the run is gone from the graph
}

namespace {
// A ring of n actors named <prefix>-0..n-1: each receives on its own channel, then sends on the
// next one's; all block receiving. Broken by the detector (on_deadlock=break), the ring unwinds:
// the victim leaves, its channels close, every other actor returns.
std::vector<gridlock::thread> ring(const std::string &prefix, std::size_t n) {
  std::vector<gridlock::sender<int>> tx;
  std::vector<gridlock::receiver<int>> rx;
  for (std::size_t i = 0; i < n; ++i) {
    auto [t, r] = gridlock::make_channel<int>(0, prefix + "/c" + std::to_string(i));
    tx.push_back(std::move(t));
    rx.push_back(std::move(r));
  }
  std::vector<gridlock::thread> actors;
  for (std::size_t i = 0; i < n; ++i)
    actors.emplace_back(
        prefix + "-" + std::to_string(i),
        [](gridlock::receiver<int> in, gridlock::sender<int> out) {
          try {
            if (in.recv()) out.send(1);
          } catch (const std::exception &) {
          }
        },
        std::move(rx[i]), std::move(tx[(i + 1) % n]));
  return actors;
}
} // namespace

TEST(Stress, RandomDeadlocksAmongLiveTrafficAreEachReportedOnceWithTheirMembers) {
  std::mt19937_64 rng(gridlock::testing::test_seed());
  gridlock::testing::report_dir dir("", 50);
  // Live traffic meanwhile: a producer and a consumer streaming through a small buffer.
  std::atomic<bool> stop{false};
  auto [tx, rx] = gridlock::make_channel<int>(2, "live");
  gridlock::thread consumer(
      "live-consumer",
      [](gridlock::receiver<int> in) {
        while (in.recv()) {
        }
      },
      std::move(rx));
  gridlock::thread producer(
      "live-producer",
      [&stop](gridlock::sender<int> out) {
        for (int i = 0; !stop.load(); ++i) out.send(i);
      },
      std::move(tx));

  const std::size_t rings = 1 + rng() % 4;
  std::vector<std::set<std::string>> expected;
  std::vector<std::vector<gridlock::thread>> all;
  for (std::size_t k = 0; k < rings; ++k) {
    const std::size_t n = 2 + rng() % 5;
    const std::string prefix = "ring" + std::to_string(k);
    std::set<std::string> members;
    for (std::size_t i = 0; i < n; ++i) members.insert(prefix + "-" + std::to_string(i));
    expected.push_back(members);
    all.push_back(ring(prefix, n));
  }
  const auto findings = dir.wait_for_findings(rings);
  for (auto &r : all) r.clear(); // joins: every ring was broken and unwound
  stop = true;
  ASSERT_EQ(findings.size(), rings);
  std::vector<int> reported(rings, 0);
  for (const auto &f : findings) {
    EXPECT_EQ(f.kind, "deadlock");
    EXPECT_EQ(f.certainty, "definite");
    const std::set<std::string> cycle(f.cycle.begin(), f.cycle.end());
    std::set<std::string> members;
    for (const auto &a : f.actors) members.insert(a.name);
    EXPECT_EQ(cycle, members) << f.summary; // nobody else: the live traffic is not in it
    for (std::size_t k = 0; k < rings; ++k)
      if (cycle == expected[k]) ++reported[k];
  }
  for (std::size_t k = 0; k < rings; ++k) EXPECT_EQ(reported[k], 1) << "ring " << k;
}
