// gridlock's own primitives under the workloads. This file is compiled twice into one benchmark
// binary: instrumented ("gridlock") and with GRIDLOCK_DISABLE ("gridlock-disabled", every hook
// compiled out: the baseline). detail/abi.hpp keeps the two builds apart.
#include "alloc_counter.hpp"
#include "workloads.hpp"

#include <gridlock/gridlock.hpp>

#include <array>
#include <latch>

#ifdef GRIDLOCK_DISABLE
#define VARIANT "gridlock-disabled"
#define SEQ_ENTRY bench_seq_disabled
#else
#define VARIANT "gridlock"
#define SEQ_ENTRY bench_seq_instrumented
#endif

namespace {

using bench::kUnbounded;

class gl_channel {
public:
  explicit gl_channel(std::size_t capacity) {
    auto [tx, rx] = capacity == kUnbounded ? gridlock::make_unbounded_channel<int>("bench")
                                           : gridlock::make_channel<int>(capacity, "bench");
    tx_ = std::move(tx);
    rx_ = std::move(rx);
  }
  struct producer {
    gridlock::sender<int> tx;
    void push(int v) { tx.send(v); }
  };
  struct consumer {
    gridlock::receiver<int> rx;
    int pop() { return *rx.recv(); }
  };
  producer producer() { return {tx_}; }
  consumer consumer() { return {rx_}; }

private:
  gridlock::sender<int> tx_;
  gridlock::receiver<int> rx_;
};

// Mailbox: the benchmark's thread owns it; `priorities` rotates posts over 4 priority levels.
void mailbox_seq(benchmark::State &state, bool priorities) {
  gridlock::mailbox<int> box("bench");
  for (auto _ : state) {
    for (int i = 0; i < bench::kSeq; ++i) box.post(i, priorities ? i % 4 : 0);
    for (int i = 0; i < bench::kSeq; ++i) benchmark::DoNotOptimize(box.receive().message);
  }
  state.SetItemsProcessed(state.iterations() * bench::kSeq);
}

void mailbox_spsc(benchmark::State &state, bool priorities) {
  for (auto _ : state) {
    gridlock::mailbox<int> box("bench");
    std::thread producer([&box, priorities] {
      for (int i = 0; i < bench::kMessages; ++i) box.post(i, priorities ? i % 4 : 0);
    });
    for (int i = 0; i < bench::kMessages; ++i) benchmark::DoNotOptimize(box.receive().message);
    producer.join();
  }
  state.SetItemsProcessed(state.iterations() * bench::kMessages);
}

// Memory: heap bytes per channel and per mailbox (the object and whatever the runtime records
// for it), and per blocked waiter (what a blocking receive allocates while it waits).
void memory(benchmark::State &state) {
  constexpr int kObjects = 1000;
  double per_channel = 0, per_mailbox = 0, per_waiter = 0;
  for (auto _ : state) {
    std::vector<std::pair<gridlock::sender<int>, gridlock::receiver<int>>> channels;
    channels.reserve(kObjects);
    std::size_t before = bench::thread_allocated_bytes();
    for (int i = 0; i < kObjects; ++i) channels.push_back(gridlock::make_channel<int>(1, "c"));
    per_channel = double(bench::thread_allocated_bytes() - before) / kObjects;
    std::vector<std::unique_ptr<gridlock::mailbox<int>>> boxes;
    boxes.reserve(kObjects);
    before = bench::thread_allocated_bytes();
    for (int i = 0; i < kObjects; ++i)
      boxes.push_back(std::make_unique<gridlock::mailbox<int>>("m"));
    per_mailbox = double(bench::thread_allocated_bytes() - before) / kObjects;
    // A receiver that blocks until the main thread sends: its allocations while blocked.
    auto [tx, rx] = gridlock::make_channel<int>(0, "w");
    std::size_t waiter_bytes = 0;
    std::latch about_to_block(1);
    std::thread receiver([&, rx = std::move(rx)]() mutable {
      rx.try_recv(); // registers the actor first: its one-time cost is not the wait's
      about_to_block.count_down();
      const std::size_t b = bench::thread_allocated_bytes();
      rx.recv();
      waiter_bytes = bench::thread_allocated_bytes() - b;
    });
    about_to_block.wait();
    tx.send(1); // blocks until the receiver takes it (so it has blocked, or will not need to)
    receiver.join();
    per_waiter = double(waiter_bytes);
  }
  state.counters["bytes_per_channel"] = per_channel;
  state.counters["bytes_per_mailbox"] = per_mailbox;
  state.counters["bytes_per_blocked_waiter"] = per_waiter;
  state.counters["sizeof_channel_state"] = double(sizeof(gridlock::detail::chan_core<int>));
}

// Timers: heap bytes per pending timer (time.After's: its channel, its place on the timer
// thread's schedule, what the runtime records for it), with 100,000 pending at once.
void pending_timers(benchmark::State &state) {
  constexpr int kTimers = 100000;
  double per_timer = 0;
  for (auto _ : state) {
    std::vector<gridlock::receiver<gridlock::time_point>> pending;
    pending.reserve(kTimers);
    const std::size_t before = bench::thread_allocated_bytes();
    for (int i = 0; i < kTimers; ++i) pending.push_back(gridlock::after(std::chrono::hours(1)));
    per_timer = double(bench::thread_allocated_bytes() - before) / kTimers;
  }
  state.counters["bytes_per_pending_timer"] = per_timer;
  state.counters["mb_for_100000"] = per_timer * kTimers / 1e6;
}

#ifndef GRIDLOCK_DISABLE
// The flight recorder's cost: the same workload with trace=1.
template <void (*Workload)(benchmark::State &)> void traced(benchmark::State &state) {
  gridlock::configure("trace=1");
  Workload(state);
  gridlock::configure("trace=0");
}
void spsc4096(benchmark::State &s) { bench::many_to_many<gl_channel>(s, 4096, 1, 1); }
void pingpong0(benchmark::State &s) { bench::pingpong<gl_channel>(s, 0); }
void seq4096(benchmark::State &s) { bench::seq<gl_channel>(s, 4096); }
#endif

const int registered = [] {
  bench::register_channel_workloads<gl_channel>(VARIANT, [](std::size_t) { return true; });
  const auto add = [](const std::string &name, auto fn) {
    benchmark::RegisterBenchmark((name + "/" VARIANT).c_str(), fn)->UseRealTime();
  };
  add("mailbox-seq/prio:1", [](benchmark::State &s) { mailbox_seq(s, false); });
  add("mailbox-seq/prio:4", [](benchmark::State &s) { mailbox_seq(s, true); });
  add("mailbox-spsc/prio:1", [](benchmark::State &s) { mailbox_spsc(s, false); });
  add("mailbox-spsc/prio:4", [](benchmark::State &s) { mailbox_spsc(s, true); });
  add("mutex/uncontended", bench::mutex_uncontended<gridlock::mutex>);
  add("mutex/contended:4", bench::mutex_contended<gridlock::mutex>);
  add("rwlock/uncontended-shared", bench::rwlock_uncontended_shared<gridlock::shared_mutex>);
  add("semaphore/uncontended", bench::semaphore_uncontended<gridlock::counting_semaphore<>>);
  add("waitgroup/add-done", bench::add_done<gridlock::wait_group>);
  benchmark::RegisterBenchmark("memory/" VARIANT, memory)->Iterations(1);
  benchmark::RegisterBenchmark("memory-timers/" VARIANT, pending_timers)->Iterations(1);
#ifndef GRIDLOCK_DISABLE
  add("seq-trace", traced<seq4096>);
  add("spsc-trace/cap:4096", traced<spsc4096>);
  add("pingpong-trace/cap:0", traced<pingpong0>);
#endif
  return 0;
}();

} // namespace

// For callgrind (seq_callgrind.cpp): n sends then n receives on a channel of capacity n.
extern "C" __attribute__((noinline)) long SEQ_ENTRY(int n) {
  auto [tx, rx] = gridlock::make_channel<int>(static_cast<std::size_t>(n), "seq");
  long sum = 0;
  for (int i = 0; i < n; ++i) tx.send(i);
  for (int i = 0; i < n; ++i) sum += *rx.recv();
  return sum;
}
