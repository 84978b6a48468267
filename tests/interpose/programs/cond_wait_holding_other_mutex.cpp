// expect: deadlock definite
// "waiter" keeps holding state_mu while it waits on a condition variable (whose own mutex it
// releases); "notifier" must take state_mu before it can signal, so it blocks and never signals.
#include <pthread.h>

#include <condition_variable>
#include <cstdio>
#include <latch>
#include <mutex>
#include <thread>

namespace {
std::mutex state_mu, flag_mu;
std::condition_variable flag_cv;
std::latch state_taken{1};
bool flag = false;
int state = 0;

void waiter() {
  pthread_setname_np(pthread_self(), "waiter");
  std::lock_guard hold(state_mu); // kept for the whole wait: the bug
  state_taken.count_down();
  std::unique_lock lk(flag_mu);
  flag_cv.wait(lk, [] { return flag; }); // EXPECT: condition wait by waiter
  ++state;
}

void notifier() {
  pthread_setname_np(pthread_self(), "notifier");
  state_taken.wait();          // the waiter holds state_mu from here on
  std::lock_guard g(state_mu); // EXPECT: mutex lock by notifier
  {
    std::lock_guard f(flag_mu);
    flag = true;
  }
  flag_cv.notify_one();
}
} // namespace

int main() {
  std::thread w(waiter);
  std::thread n(notifier);
  w.join(); // EXPECT: thread join
  n.join();
  std::printf("state %d (unreachable)\n", state);
  return 0;
}
