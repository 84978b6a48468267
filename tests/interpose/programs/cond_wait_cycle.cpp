// expect: deadlock definite
// Cyclic condition wait: "ping" waits for its turn and would then signal "pong", while "pong"
// waits for its turn and would then signal "ping"; nobody goes first, both wait forever.
#include <pthread.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace {
std::mutex mu;
std::condition_variable ping_cv, pong_cv;
bool ping_turn = false, pong_turn = false;

void ping() {
  pthread_setname_np(pthread_self(), "ping");
  std::unique_lock lk(mu);
  ping_cv.wait(lk, [] { return ping_turn; }); // EXPECT: condition wait by ping
  pong_turn = true;
  pong_cv.notify_one();
}

void pong() {
  pthread_setname_np(pthread_self(), "pong");
  std::unique_lock lk(mu);
  pong_cv.wait(lk, [] { return pong_turn; }); // EXPECT: condition wait by pong
  ping_turn = true;
  ping_cv.notify_one();
}
} // namespace

int main() {
  std::thread p(ping);
  std::thread q(pong);
  p.join(); // EXPECT: thread join
  q.join();
  std::puts("both done (unreachable)");
  return 0;
}
