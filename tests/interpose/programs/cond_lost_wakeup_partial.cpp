// expect: deadlock probable
// A partial lost wake-up: "consumer" waits for a second item that "producer" never sends (it
// notified once and exited) while "ticker" keeps working: the consumer and main (joining it) are
// stuck, and a condition variable's releasers are only guessed (who notified it before): probable.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace {
std::mutex mu;
std::condition_variable ready;
int items = 0;
std::atomic<bool> stop{false}; // nobody ever sets it

void producer() {
  pthread_setname_np(pthread_self(), "producer");
  std::lock_guard g(mu);
  ++items;
  ready.notify_one();
}

void consumer() {
  pthread_setname_np(pthread_self(), "consumer");
  std::unique_lock lk(mu);
  ready.wait(lk, [] { return items > 0; });
  --items;
  ready.wait(lk, [] { return items > 0; }); // EXPECT: condition wait by consumer
}

void ticker() {
  pthread_setname_np(pthread_self(), "ticker");
  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
} // namespace

int main() {
  std::thread t(ticker);
  std::thread p(producer);
  std::thread c(consumer);
  p.join();
  c.join(); // EXPECT: thread join
  t.join();
  return 0;
}
