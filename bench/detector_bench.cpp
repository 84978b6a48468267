// The detector's costs (instrumented build only):
//   detector/latency      from the moment a cycle of N actors closes (the last of them blocks)
//                         to the report, with detect_delay_ms=50, optionally while 10,000 other
//                         actors are blocked in live waits (a sender held by the main thread);
//   detector/full-check   one find_deadlocks() over a wait graph of 10,000 blocked actors: a
//                         chain ending in a live actor (everything must be proven live) and one
//                         10,000-actor cycle (everything deadlocked).
#include "wait_graph.hpp"

#include <gridlock/gridlock.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
constexpr int kDelayMs = 50;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch())
      .count();
}

// Actors blocked in a wait that a live actor (this thread, holding the senders) can release.
class bystanders {
public:
  explicit bystanders(int n) {
    for (int i = 0; i < n; ++i) {
      auto [tx, rx] = gridlock::make_channel<int>(0, "bystander");
      senders_.push_back(std::move(tx));
      threads_.emplace_back([rx = std::move(rx)]() mutable {
        try {
          rx.recv();
        } catch (const std::exception &) {
        }
      });
    }
  }
  ~bystanders() {
    senders_.clear(); // closes every channel: each receive returns
    for (auto &t : threads_) t.join();
  }

private:
  std::vector<gridlock::sender<int>> senders_;
  std::vector<std::thread> threads_;
};

// A ring: actor i receives on channel i, then sends on channel i+1; all block in the receive.
// Returns when the report came (this thread stays live meanwhile: it polls, it does not join),
// and the detector has broken the ring and every actor has finished.
void ring(int n, std::vector<std::int64_t> &blocked_at, const std::atomic<std::int64_t> &reported) {
  std::vector<gridlock::sender<int>> tx;
  std::vector<gridlock::receiver<int>> rx;
  for (int i = 0; i < n; ++i) {
    auto [t, r] = gridlock::make_channel<int>(0, "ring-" + std::to_string(i));
    tx.push_back(std::move(t));
    rx.push_back(std::move(r));
  }
  std::vector<gridlock::thread> actors;
  for (int i = 0; i < n; ++i)
    actors.emplace_back(
        "ring-" + std::to_string(i),
        [&blocked_at, i](gridlock::receiver<int> in, gridlock::sender<int> out) {
          try {
            blocked_at[i] = now_ns();
            in.recv();
            out.send(1);
          } catch (const std::exception &) {
            // the victim (deadlock_error), or a neighbour whose peer is gone (channel_closed)
          }
        },
        std::move(rx[i]), std::move(tx[(i + 1) % n]));
  while (reported.load() == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
}

void latency(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  gridlock::configure("detect_delay_ms=" + std::to_string(kDelayMs) +
                      ":on_deadlock=break:report_format=json:report_leaks=0");
  std::atomic<std::int64_t> reported{0};
  gridlock::on_finding([&](const gridlock::finding_summary &f) {
    if (f.kind == "deadlock") reported = now_ns();
  });
  bystanders others(static_cast<int>(state.range(1)));
  double total_ms = 0;
  for (auto _ : state) {
    reported = 0;
    std::vector<std::int64_t> blocked_at(static_cast<std::size_t>(n), 0);
    ring(n, blocked_at, reported);
    const std::int64_t closed = *std::max_element(blocked_at.begin(), blocked_at.end());
    const double seconds = double(reported.load() - closed) / 1e9;
    state.SetIterationTime(seconds);
    total_ms += seconds * 1e3;
  }
  gridlock::on_finding(nullptr);
  state.counters["latency_ms"] = total_ms / double(state.iterations());
  state.counters["detect_delay_ms"] = kDelayMs;
  state.counters["over_delay_ms"] = total_ms / double(state.iterations()) - kDelayMs;
}

using gridlock::detail::wait_graph;

// 10,000 actors, each blocked receiving on a channel whose sender end the next one holds; the
// last one's channel is held by a live actor (chain) or by the first (cycle).
void full_check(benchmark::State &state) {
  const gl_actor_id n = static_cast<gl_actor_id>(state.range(0));
  const bool cycle = state.range(1) != 0;
  wait_graph g;
  std::vector<std::unique_ptr<gl_wait>> waits;
  const gl_actor_id live = n + 1;
  for (gl_actor_id a = 1; a <= live; ++a) g.add_actor(a, "a" + std::to_string(a));
  for (gl_actor_id a = 1; a <= n; ++a) {
    g.add_resource(a, "channel", "c" + std::to_string(a), 0);
    const gl_actor_id holder = a < n ? a + 1 : (cycle ? 1 : live);
    g.hold(a, GL_END_SEND, holder, GL_HOLD_EXACT, +1);
    g.hold(a, GL_END_RECV, a, GL_HOLD_EXACT, +1);
  }
  for (gl_actor_id a = 1; a <= n; ++a) {
    auto w = std::make_unique<gl_wait>();
    w->seq = a;
    w->actor = a;
    w->op = GL_OP_CHAN_RECV;
    w->targets = {gl_target{GL_TARGET_HOLDERS, 0, a, GL_END_SEND}};
    w->since = gl_wait::clock::now();
    g.begin_wait(w.get());
    waits.push_back(std::move(w));
  }
  std::size_t found = 0;
  for (auto _ : state) {
    const auto groups = g.find_deadlocks(false);
    found = 0;
    for (const auto &grp : groups) found += grp.members.size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["deadlocked_actors"] = double(found);
  for (auto &w : waits) g.end_wait(w.get());
}

const int registered = [] {
  for (const auto &[n, others] :
       std::vector<std::pair<int, int>>{{2, 0}, {16, 0}, {1000, 0}, {2, 10000}, {1000, 10000}})
    benchmark::RegisterBenchmark("detector/latency", latency)
        ->Args({n, others})
        ->ArgNames({"cycle", "bystanders"})
        ->UseManualTime()
        ->Iterations(3)
        ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("detector/full-check", full_check)
      ->Args({10000, 0})
      ->Args({10000, 1})
      ->ArgNames({"blocked", "cycle"})
      ->Unit(benchmark::kMillisecond);
  return 0;
}();

} // namespace
