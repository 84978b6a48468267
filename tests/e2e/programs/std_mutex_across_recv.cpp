// Issue 16: a std::scoped_lock held across a gridlock channel receive whose peer locks the same
// std::mutex before it sends - the seed's "mutex held across a send", with the standard mutex.
// libgridlock's interposer records the producer's std::mutex wait (for its owner, the consumer),
// so the consumer's receive, waiting for the producer, closes a cycle.
//
//   std_mutex_across_recv             Expected: a definite deadlock, cycle consumer <-> producer:
//                                     the consumer in 'chan receive' on 'results' holding 'state',
//                                     the producer in 'mutex lock' on it. With on_deadlock=break
//                                     the consumer's receive throws; it lets the lock go, takes
//                                     the result without it, and the program exits 0.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <mutex>
#include <thread>
#include <utility>

namespace {
std::mutex state; // guards `total`
int total = 0;
} // namespace

int main() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "results");
  gridlock::set_actor_name("consumer");
  gridlock::thread producer;
  int got = 0;
  try {
    std::scoped_lock lk(state); // taken before the producer exists: this run always deadlocks
    // The send end is the producer's argument: it is the producer's from the start.
    producer = gridlock::thread(
        "producer",
        [](gridlock::sender<int> out) {
          {
            std::scoped_lock plk(state); // EXPECT: mutex lock (the producer needs the state first)
            ++total;
          }
          out.send(42);
        },
        std::move(tx));
    got = *rx.recv(); // EXPECT: chan receive (holding the state)
  } catch (const gridlock::deadlock_error &) {
    std::puts("consumer: chosen as the deadlock victim, receiving without the lock");
    got = *rx.recv();
  }
  producer.join();
  std::printf("consumer: got %d, total %d\n", got, total);
}
