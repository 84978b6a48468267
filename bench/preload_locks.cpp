// The cost of libgridlock-preload.so on an unmodified program: a plain std::mutex workload with
// no gridlock in it, run by bench/run.sh three ways - as is, under gridlock-run (the preload),
// and built with ThreadSanitizer run with detect_deadlocks=1 (the peer column).
//
//   preload/uncontended        lock + unlock of one std::mutex by one thread
//   preload/contended/threads:4  4 threads on 2 cores taking one std::mutex around a short
//                              critical section (a counter and a little arithmetic)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <mutex>

namespace {

std::mutex shared_mu;
std::uint64_t shared_counter = 0;

void uncontended(benchmark::State &state) {
  std::mutex mu;
  std::uint64_t n = 0;
  for (auto _ : state) {
    mu.lock();
    benchmark::DoNotOptimize(++n);
    mu.unlock();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(uncontended)->Name("preload/uncontended");

void contended(benchmark::State &state) {
  std::uint64_t local = 0;
  for (auto _ : state) {
    {
      std::lock_guard g(shared_mu);
      shared_counter += local;
    }
    for (int i = 0; i < 16; ++i) benchmark::DoNotOptimize(local += static_cast<unsigned>(i));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(contended)->Name("preload/contended")->Threads(4)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
