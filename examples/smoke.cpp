#include <gridlock/gridlock.hpp>
#include <cstdio>
int main() {
  auto [atx, arx] = gridlock::make_channel<int>(0, "a");
  auto [btx, brx] = gridlock::make_channel<int>(0, "b");
  gridlock::thread A("A", [](gridlock::sender<int> out, gridlock::receiver<int> in) {
    try { out.send(1); in.recv(); } catch (const std::exception &e) { std::printf("A: %s\n", e.what()); }
  }, atx, brx);
  gridlock::thread B("B", [](gridlock::sender<int> out, gridlock::receiver<int> in) {
    try { out.send(2); in.recv(); } catch (const std::exception &e) { std::printf("B: %s\n", e.what()); }
  }, btx, arx);
}
