// expect: deadlock definite
// main holds a std::mutex and, still holding it, joins a worker that needs that mutex.
#include <pthread.h>

#include <cstdio>
#include <mutex>
#include <thread>

namespace {
std::mutex registry_mu;
int registry_size = 0;

void register_entry() {
  pthread_setname_np(pthread_self(), "worker");
  std::lock_guard g(registry_mu); // EXPECT: mutex lock by worker
  ++registry_size;
}
} // namespace

int main() {
  std::lock_guard hold(registry_mu); // held before the worker even exists
  std::thread worker(register_entry);
  worker.join(); // EXPECT: thread join
  std::printf("registry size: %d (unreachable)\n", registry_size);
  return 0;
}
