// expect: clean
// 2000 short-lived std::threads, started in batches of 50 that run at once, each locking one
// shared std::mutex briefly to bump a counter.
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace {
constexpr int kThreads = 2000, kBatch = 50;
std::mutex counter_mu;
long counter = 0;

void bump() {
  std::lock_guard g(counter_mu);
  ++counter;
}
} // namespace

int main() {
  for (int started = 0; started < kThreads; started += kBatch) {
    std::vector<std::thread> batch;
    batch.reserve(kBatch);
    for (int i = 0; i < kBatch; ++i) batch.emplace_back(bump);
    for (auto &t : batch) t.join();
  }
  std::printf("counter: %ld\n", counter);
  return counter == kThreads ? 0 : 1;
}
