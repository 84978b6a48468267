// expect: deadlock definite
// Upgrade deadlock: two threads hold a std::shared_mutex in shared mode, then each tries to lock
// it exclusively without releasing its shared hold, so each waits for the other forever.
#include <pthread.h>

#include <cstdio>
#include <latch>
#include <shared_mutex>
#include <thread>

namespace {
std::shared_mutex table_mu;
std::latch both_reading{2};
int table_version = 0;

void read_then_upgrade(const char *name) {
  pthread_setname_np(pthread_self(), name);
  table_mu.lock_shared();
  const int seen = table_version;
  both_reading.arrive_and_wait(); // both shared holds are taken before either upgrades
  table_mu.lock();                // EXPECT: write lock
  table_version = seen + 1;
  table_mu.unlock();
  table_mu.unlock_shared();
}
} // namespace

int main() {
  std::thread first(read_then_upgrade, "upgrader-1");
  std::thread second(read_then_upgrade, "upgrader-2");
  first.join(); // EXPECT: thread join
  second.join();
  std::printf("version %d (unreachable)\n", table_version);
  return 0;
}
