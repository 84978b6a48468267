// Issue 16, mixed prediction: the consumer holds a std::mutex across a gridlock receive, and the
// producer takes the same mutex before it sends - but in this run the producer took it first, so
// the run does not deadlock. Had the consumer locked first, the producer would have blocked on the
// mutex and never sent: the deadlock of std_mutex_across_recv.cpp.
//
//   std_mutex_before_send_lucky       Expected: no deadlock; one lock-order-inversion (possible)
//                                     naming the consumer's receive on 'results' while holding
//                                     'state' and the producer's lock of 'state' before it sends.
//                                     Exits 0.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <unistd.h>
#include <utility>

namespace {
std::mutex state; // guards `total`
int total = 0;
} // namespace

int main() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "results");
  auto [go_tx, go_rx] = gridlock::make_channel<int>(0, "go");
  std::atomic<pid_t> producer_tid{0};
  gridlock::set_actor_name("consumer");
  gridlock::thread producer(
      "producer",
      [&producer_tid](gridlock::sender<int> out, gridlock::receiver<int> go) {
        producer_tid = ::gettid();
        {
          std::scoped_lock lk(state); // EXPECT: lock order (the producer's, before it sends)
          ++total;
        }
        go.recv(); // no message tells the consumer the state is free: it looks (below)
        out.send(42);
      },
      std::move(tx), std::move(go_rx));
  // The producer has let go of the state and waits: this run is the lucky one. Nothing the
  // program does orders the two locks - had the consumer locked first, both would hang.
  gridlock::testing::wait_until_asleep({&producer_tid});
  int got = 0;
  {
    std::scoped_lock lk(state);
    go_tx.send(1);
    got = *rx.recv(); // EXPECT: lock order (the consumer's, holding the state)
  }
  producer.join();
  std::printf("consumer: got %d, total %d\n", got, total);
}
