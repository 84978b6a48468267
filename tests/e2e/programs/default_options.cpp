// A program that embeds its own defaults with __gridlock_default_options(): on_deadlock=break, so
// its deadlock is broken and it exits normally without any GRIDLOCK_OPTIONS.
#include <gridlock/gridlock.hpp>

extern "C" const char *__gridlock_default_options() {
  return "on_deadlock=break:detect_delay_ms=50";
}

int main() {
  auto [a_tx, a_rx] = gridlock::make_channel<int>(0, "a");
  auto [b_tx, b_rx] = gridlock::make_channel<int>(0, "b");
  auto peer = [](gridlock::sender<int> out, gridlock::receiver<int> in) {
    try {
      out.send(1);
      in.recv();
    } catch (const std::exception &) {
    }
  };
  gridlock::thread x("X", peer, std::move(a_tx), std::move(b_rx));
  gridlock::thread y("Y", peer, std::move(b_tx), std::move(a_rx));
}
