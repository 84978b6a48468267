// gridlock-recv-recv: every actor waits to receive before it sends.
#include <gridlock/gridlock.hpp>

using gridlock::receiver;
using gridlock::sender;

void receive_then_send(receiver<int> in, sender<int> out) {
  in.recv(); // CHECK-WARN: gridlock-recv-recv definite CHECK-NOTE
  out.send(1);
}

void two_receivers() {
  auto [a_out, b_in] = gridlock::make_channel<int>(8, "a");
  auto [b_out, a_in] = gridlock::make_channel<int>(8, "b");
  gridlock::thread a("A", receive_then_send, std::move(a_in), std::move(a_out));
  gridlock::thread b("B", receive_then_send, std::move(b_in), std::move(b_out));
}

void receive_ring_through_lambdas() {
  auto [x1, r1] = gridlock::make_unbounded_channel<int>("1");
  auto [x2, r2] = gridlock::make_unbounded_channel<int>("2");
  auto [x3, r3] = gridlock::make_unbounded_channel<int>("3");
  auto node = [](receiver<int> prev, sender<int> next) {
    prev.recv(); // CHECK-WARN: gridlock-recv-recv definite CHECK-NOTE
    next.send(1);
  };
  gridlock::thread n1("n1", node, std::move(r3), std::move(x1));
  gridlock::thread n2("n2", node, std::move(r1), std::move(x2));
  gridlock::thread n3("n3", node, std::move(r2), std::move(x3));
}

void receivers_capturing_by_reference() {
  auto a = gridlock::make_channel<int>(0, "cap-a");
  auto b = gridlock::make_channel<int>(0, "cap-b");
  gridlock::thread ta("A", [&] {
    b.second.recv(); // CHECK-WARN: gridlock-recv-recv definite CHECK-NOTE
    a.first.send(1);
  });
  gridlock::thread tb("B", [&] {
    a.second.recv(); // CHECK-NOTE
    b.first.send(1);
  });
}
