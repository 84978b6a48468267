// expect: lock-order-inversion
// Three threads run one after another (each joined before the next starts): A->B, then B->C,
// then C->A. Nothing hangs, but the three orders form the cycle A->B->C->A.
#include <pthread.h>

#include <cstdio>
#include <mutex>
#include <thread>

namespace {
std::mutex lock_a, lock_b, lock_c;
int steps = 0;

void a_then_b() {
  pthread_setname_np(pthread_self(), "step-ab");
  std::lock_guard outer(lock_a);
  std::lock_guard inner(lock_b); // EXPECT: lock order
  ++steps;
}

void b_then_c() {
  pthread_setname_np(pthread_self(), "step-bc");
  std::lock_guard outer(lock_b);
  std::lock_guard inner(lock_c); // EXPECT: lock order
  ++steps;
}

void c_then_a() {
  pthread_setname_np(pthread_self(), "step-ca");
  std::lock_guard outer(lock_c);
  std::lock_guard inner(lock_a); // EXPECT: lock order
  ++steps;
}
} // namespace

int main() {
  std::thread(a_then_b).join();
  std::thread(b_then_c).join();
  std::thread(c_then_a).join();
  std::printf("steps: %d\n", steps);
  return steps == 3 ? 0 : 1;
}
