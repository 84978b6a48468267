// A program built against an installed gridlock with find_package: it must compile, link and run.
#include <gridlock/gridlock.hpp>

int main() {
  auto [tx, rx] = gridlock::make_channel<int>(1, "consumer");
  tx.send(42);
  return rx.recv() == 42 ? 0 : 1;
}
