// expect: clean
// Six readers check an invariant under std::shared_lock while one writer updates the table
// under std::unique_lock, all on one std::shared_mutex.
#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace {
constexpr int kReaders = 6, kReads = 3000, kWrites = 300;
std::shared_mutex table_mu;
std::vector<int> table(64, 0); // invariant: every entry is equal
std::atomic<int> torn_reads{0};

void reader(int index) {
  pthread_setname_np(pthread_self(), ("reader-" + std::to_string(index)).c_str());
  for (int i = 0; i < kReads; ++i) {
    std::shared_lock lk(table_mu);
    for (int v : table)
      if (v != table[0]) ++torn_reads;
  }
}

void writer() {
  pthread_setname_np(pthread_self(), "writer");
  for (int i = 0; i < kWrites; ++i) {
    std::unique_lock lk(table_mu);
    for (int &v : table) ++v;
  }
}
} // namespace

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < kReaders; ++i) threads.emplace_back(reader, i);
  threads.emplace_back(writer);
  for (auto &t : threads) t.join();
  std::printf("torn reads: %d, final value: %d\n", torn_reads.load(), table[0]);
  return torn_reads == 0 && table[0] == kWrites ? 0 : 1;
}
