// A program that ends from a secondary thread (std::exit(3)) while another is blocked in a
// gridlock receive. Expected: the process ends with status 3 (no hang in gridlock's exit path)
// and the blocked actor is reported as a leak.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

int main() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "never");
  gridlock::thread worker(
      "stuck-worker", [](gridlock::receiver<int> in) { in.recv(); }, // EXPECT: chan receive
      std::move(rx));
  worker.detach();
  std::thread quitter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the worker is blocked by then
    std::exit(3);
  });
  quitter.join();
  return 0; // not reached
}
