// The benchmark workloads, named as in crossbeam's and Go's channel benchmarks so that numbers
// compare, written once over a queue adapter:
//
//   struct Q {
//     explicit Q(std::size_t capacity);     // 0: rendezvous, kUnbounded: never full
//     producer_t producer();                // a handle for one sending thread: push(int)
//     consumer_t consumer();                // a handle for one receiving thread: int pop()
//   };
//
// Every workload moves kMessages messages per iteration (the benchmark reports items/s) and is
// measured in real time: blocking is part of the cost.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <limits>
#include <string>
#include <thread>
#include <vector>

namespace bench {

inline constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();
inline constexpr int kMessages = 100'000;
inline constexpr int kSeq = 4096; // seq: this many in, then out (never blocks at capacity 4096)

// seq: one thread sends kSeq then receives kSeq: the pure per-operation cost.
template <class Q> void seq(benchmark::State &state, std::size_t capacity) {
  Q q(capacity);
  auto p = q.producer();
  auto c = q.consumer();
  for (auto _ : state) {
    for (int i = 0; i < kSeq; ++i) p.push(i);
    for (int i = 0; i < kSeq; ++i) benchmark::DoNotOptimize(c.pop());
  }
  state.SetItemsProcessed(state.iterations() * kSeq);
}

// producers -> consumers: `producers` threads send kMessages in all, `consumers` threads (the
// benchmark's own thread among them) receive them.
template <class Q>
void many_to_many(benchmark::State &state, std::size_t capacity, int producers, int consumers) {
  for (auto _ : state) {
    Q q(capacity);
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
      threads.emplace_back([h = q.producer(), n = kMessages / producers]() mutable {
        for (int i = 0; i < n; ++i) h.push(i);
      });
    for (int c = 1; c < consumers; ++c)
      threads.emplace_back([h = q.consumer(), n = kMessages / consumers]() mutable {
        for (int i = 0; i < n; ++i) benchmark::DoNotOptimize(h.pop());
      });
    auto mine = q.consumer();
    for (int i = 0; i < kMessages / consumers; ++i) benchmark::DoNotOptimize(mine.pop());
    for (auto &t : threads) t.join();
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
}

// pingpong: two threads bounce one message over two channels; every message blocks once.
template <class Q> void pingpong(benchmark::State &state, std::size_t capacity) {
  constexpr int kRounds = kMessages / 10;
  for (auto _ : state) {
    Q ping(capacity), pong(capacity);
    std::thread echo([in = ping.consumer(), out = pong.producer()]() mutable {
      for (int i = 0; i < kRounds; ++i) out.push(in.pop());
    });
    auto out = ping.producer();
    auto in = pong.consumer();
    for (int i = 0; i < kRounds; ++i) {
      out.push(i);
      benchmark::DoNotOptimize(in.pop());
    }
    echo.join();
  }
  state.SetItemsProcessed(state.iterations() * kRounds * 2);
}

// mutex/uncontended: lock and unlock on one thread. mutex/contended:4: four threads increment one
// counter under the lock (oversubscribed on 2 cores).
template <class Mutex> void mutex_uncontended(benchmark::State &state) {
  Mutex m;
  long counter = 0;
  for (auto _ : state) {
    m.lock();
    benchmark::DoNotOptimize(++counter);
    m.unlock();
  }
  state.SetItemsProcessed(state.iterations());
}

// Go's toolbox, uncontended: a read lock taken and released; a permit acquired and released;
// a unit of work added to a wait group and done.
template <class SharedMutex> void rwlock_uncontended_shared(benchmark::State &state) {
  SharedMutex m;
  long counter = 0;
  for (auto _ : state) {
    m.lock_shared();
    benchmark::DoNotOptimize(++counter);
    m.unlock_shared();
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Semaphore> void semaphore_uncontended(benchmark::State &state) {
  Semaphore s(1);
  for (auto _ : state) {
    s.acquire();
    s.release();
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Counter> void add_done(benchmark::State &state) {
  Counter c;
  for (auto _ : state) {
    c.add(1);
    c.done();
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Mutex> void mutex_contended(benchmark::State &state) {
  constexpr int kThreads = 4, kEach = kMessages / kThreads;
  for (auto _ : state) {
    Mutex m;
    long counter = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < kEach; ++i) {
          m.lock();
          benchmark::DoNotOptimize(++counter);
          m.unlock();
        }
      });
    for (auto &t : threads) t.join();
  }
  state.SetItemsProcessed(state.iterations() * kThreads * kEach);
}

// Registers the channel workloads for one queue implementation, as "<workload>/<impl>", at the
// capacities it supports (`supports(capacity)`; kUnbounded for an unbounded queue): seq at 4096
// (or unbounded), spsc at 0, 1, 64, 4096 (or unbounded), pingpong at 0, 1 (and unbounded), mpsc
// 4->1 and mpmc 4x4 at 64 (or unbounded). The mpmc case oversubscribes a 2-core machine: it
// exercises parking.
template <class Q, class Supports>
void register_channel_workloads(const char *impl, Supports supports) {
  const auto add = [&](const std::string &name, auto fn) {
    benchmark::RegisterBenchmark((name + "/" + impl).c_str(), fn)->UseRealTime();
  };
  const auto pick = [&](std::size_t cap) { return supports(cap) ? cap : kUnbounded; };
  if (supports(4096) || supports(kUnbounded))
    add("seq", [cap = pick(4096)](benchmark::State &s) { seq<Q>(s, cap); });
  for (std::size_t cap :
       {std::size_t{0}, std::size_t{1}, std::size_t{64}, std::size_t{4096}, kUnbounded})
    if (supports(cap))
      add("spsc/cap:" + (cap == kUnbounded ? std::string("unbounded") : std::to_string(cap)),
          [=](benchmark::State &s) { many_to_many<Q>(s, cap, 1, 1); });
  // A ping-pong holds one message at a time: over an unbounded queue it measures the same round
  // trip, which is how moodycamel (unbounded only) is compared.
  for (std::size_t cap : {std::size_t{0}, std::size_t{1}, kUnbounded})
    if (supports(cap))
      add("pingpong/cap:" + (cap == kUnbounded ? std::string("unbounded") : std::to_string(cap)),
          [=](benchmark::State &s) { pingpong<Q>(s, cap); });
  if (supports(64) || supports(kUnbounded)) {
    add("mpsc/4x1", [cap = pick(64)](benchmark::State &s) { many_to_many<Q>(s, cap, 4, 1); });
    add("mpmc/4x4", [cap = pick(64)](benchmark::State &s) { many_to_many<Q>(s, cap, 4, 4); });
  }
}

} // namespace bench
