// Seed scenario 2: a producer and a slow consumer over a bounded buffer. The producer blocks
// whenever the buffer is full, sometimes for longer than detect_delay_ms while the consumer is
// busy elsewhere.
//
// Expected: no finding at all, however slow the consumer: it is live, so the producer's wait can
// always be released.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdio>
#include <thread>

int main() {
  constexpr int kItems = 60;
  auto [tx, rx] = gridlock::make_channel<int>(4, "buffer");
  gridlock::thread producer(
      "producer",
      [](gridlock::sender<int> out) {
        for (int i = 0; i < kItems; ++i) out.send(i); // blocks while the buffer is full
      },
      std::move(tx));
  gridlock::thread consumer(
      "consumer",
      [](gridlock::receiver<int> in) {
        long sum = 0;
        while (auto v = in.recv()) {
          sum += *v;
          // Busy elsewhere, sometimes for longer than the detection delay.
          std::this_thread::sleep_for(std::chrono::milliseconds(*v % 20 == 19 ? 400 : 2));
        }
        std::printf("consumer: received all %d items (sum %ld)\n", kItems, sum);
      },
      std::move(rx));
}
