// expect: clean
// "forward" locks A then B; "backward" holds B and only try_locks A, backing off when it is busy.
// A try_lock never waits, so the reverse order cannot deadlock and is no lock-order inversion.
#include <pthread.h>

#include <cstdio>
#include <mutex>
#include <thread>

namespace {
constexpr int kRounds = 20000;
std::mutex lock_a, lock_b;
long forward_done = 0, backward_done = 0, backward_retries = 0;

void forward() {
  pthread_setname_np(pthread_self(), "forward");
  for (int i = 0; i < kRounds; ++i) {
    std::lock_guard outer(lock_a);
    std::lock_guard inner(lock_b);
    ++forward_done;
  }
}

void backward() {
  pthread_setname_np(pthread_self(), "backward");
  for (int i = 0; i < kRounds;) {
    std::unique_lock outer(lock_b);
    std::unique_lock inner(lock_a, std::try_to_lock);
    if (!inner.owns_lock()) {
      ++backward_retries; // back off: release B and try again
      continue;
    }
    ++backward_done;
    ++i;
  }
}
} // namespace

int main() {
  std::thread f(forward);
  std::thread b(backward);
  f.join();
  b.join();
  std::printf("forward %ld, backward %ld, retries %ld\n", forward_done, backward_done,
              backward_retries);
  return forward_done == kRounds && backward_done == kRounds ? 0 : 1;
}
