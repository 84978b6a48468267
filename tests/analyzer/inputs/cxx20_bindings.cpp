// C++20 that Clang 14 rejected and g++ 12 compiles: lambdas that capture structured bindings
// (P1091R3, P1381R1), the README's own way of handing channel ends to threads. They are followed
// like any other capture, by reference or by value.
#include <gridlock/gridlock.hpp>

#include <thread>

void bindings_captured_by_reference() {
  auto [ping_tx, ping_rx] = gridlock::make_channel<int>(0, "ping");
  auto [pong_tx, pong_rx] = gridlock::make_channel<int>(0, "pong");
  std::thread a([&] {
    ping_tx.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    pong_rx.recv();
  });
  std::thread b([&] {
    pong_tx.send(2); // CHECK-NOTE
    ping_rx.recv();
  });
  a.join();
  b.join();
}

// The README's first example: a worker receives what main sends. No finding.
void readme_quick_start() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "jobs");
  std::thread t([&] { rx.recv(); });
  tx.send(1);
  t.join();
}

void binding_captured_by_value() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "results");
  std::thread t([=] { rx.recv(); }); // CHECK-WARN: gridlock-unmatched possible
  t.join();
}
