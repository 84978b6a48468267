// expect: clean
// std::scoped_lock(a, b) in one thread and std::scoped_lock(b, a) in another, concurrently and
// many times: std::lock's deadlock avoidance (lock one, try the other, back off) makes it safe.
#include <pthread.h>

#include <cstdio>
#include <mutex>
#include <thread>

namespace {
constexpr int kRounds = 20000;
std::mutex account_a, account_b;
long balance_a = 0, balance_b = 0;

void a_to_b() {
  pthread_setname_np(pthread_self(), "a-to-b");
  for (int i = 0; i < kRounds; ++i) {
    std::scoped_lock both(account_a, account_b);
    --balance_a;
    ++balance_b;
  }
}

void b_to_a() {
  pthread_setname_np(pthread_self(), "b-to-a");
  for (int i = 0; i < kRounds; ++i) {
    std::scoped_lock both(account_b, account_a);
    --balance_b;
    ++balance_a;
  }
}
} // namespace

int main() {
  std::thread t1(a_to_b);
  std::thread t2(b_to_a);
  t1.join();
  t2.join();
  std::printf("balances: %ld %ld\n", balance_a, balance_b);
  return balance_a == 0 && balance_b == 0 ? 0 : 1;
}
