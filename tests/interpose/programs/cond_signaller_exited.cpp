// expect: deadlock definite
// Lost wake-up: the only producer hands over one item, signals once and exits; the consumer
// takes that item and then waits on the condition variable for a second one that never comes.
#include <pthread.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace {
std::mutex mu;
std::condition_variable item_ready;
int items = 0;

void produce() {
  pthread_setname_np(pthread_self(), "producer");
  {
    std::lock_guard g(mu);
    ++items;
  }
  item_ready.notify_one();
} // the only producer is gone from here on

void consume() {
  pthread_setname_np(pthread_self(), "consumer");
  for (int taken = 0; taken < 2; ++taken) {
    std::unique_lock lk(mu);
    item_ready.wait(lk, [] { return items > 0; }); // EXPECT: condition wait by consumer
    --items;
    std::printf("consumer: took item %d\n", taken + 1);
  }
}
} // namespace

int main() {
  std::thread consumer(consume);
  std::thread producer(produce);
  producer.join();
  consumer.join(); // EXPECT: thread join
  return 0;
}
