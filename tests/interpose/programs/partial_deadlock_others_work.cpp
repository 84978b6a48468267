// expect: deadlock definite
// Partial deadlock: "left" and "right" deadlock ABBA (a barrier forces the interleaving) while
// "worker" keeps counting under its own mutex forever; main joins "left" first.
#include <pthread.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace {
std::mutex lock_a, lock_b, stats_mu;
std::barrier<> both_hold_first{2};
std::atomic<bool> stop{false}; // nobody ever sets it
long ticks = 0;

void left() {
  pthread_setname_np(pthread_self(), "left");
  std::lock_guard first(lock_a);
  both_hold_first.arrive_and_wait();
  std::lock_guard second(lock_b); // EXPECT: mutex lock by left
}

void right() {
  pthread_setname_np(pthread_self(), "right");
  std::lock_guard first(lock_b);
  both_hold_first.arrive_and_wait();
  std::lock_guard second(lock_a); // EXPECT: mutex lock by right
}

void worker() {
  pthread_setname_np(pthread_self(), "worker");
  while (!stop.load()) {
    {
      std::lock_guard g(stats_mu);
      ++ticks;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}
} // namespace

int main() {
  std::thread w(worker);
  std::thread l(left);
  std::thread r(right);
  l.join(); // EXPECT: thread join
  r.join();
  stop = true;
  w.join();
  std::printf("ticks: %ld (unreachable)\n", ticks);
  return 0;
}
