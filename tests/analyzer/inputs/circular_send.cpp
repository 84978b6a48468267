// gridlock-circular-send: each scenario below is a function that starts its own threads.
// Expectations sit on the lines they are about: a warning (rule, certainty) and each step note.
#include <gridlock/gridlock.hpp>

#include <thread>

using gridlock::receiver;
using gridlock::sender;

void send_then_receive(sender<int> out, receiver<int> in) {
  out.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
  in.recv();
}

void two_actor_cycle() {
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("A", send_then_receive, std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("B", send_then_receive, std::move(b_to_a), std::move(b_from_a));
}

void three_actor_ring() {
  auto [x1, r1] = gridlock::make_channel<int>(0, "1->2");
  auto [x2, r2] = gridlock::make_channel<int>(0, "2->3");
  auto [x3, r3] = gridlock::make_channel<int>(0, "3->1");
  auto node = [](sender<int> next, receiver<int> prev) {
    next.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    prev.recv();
  };
  gridlock::thread n1("n1", node, std::move(x1), std::move(r3));
  gridlock::thread n2("n2", node, std::move(x2), std::move(r1));
  gridlock::thread n3("n3", node, std::move(x3), std::move(r2));
}

void helper(sender<int> &out, receiver<int> &in) {
  out.send(2); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
  in.recv();
}

void through_a_helper_call() {
  auto [p, q] = gridlock::make_channel<int>(0, "p");
  auto [r, s] = gridlock::make_channel<int>(0, "r");
  gridlock::thread a("A", [](sender<int> out, receiver<int> in) { helper(out, in); }, std::move(p), std::move(s));
  gridlock::thread b("B", [](sender<int> out, receiver<int> in) { helper(out, in); }, std::move(r), std::move(q));
}

void lambda_captures_by_reference() {
  auto a = gridlock::make_channel<int>(0, "a");
  auto b = gridlock::make_channel<int>(0, "b");
  std::thread ta([&] {
    a.first.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    b.second.recv();
  });
  std::thread tb([&] {
    b.first.send(1); // CHECK-NOTE
    a.second.recv();
  });
  ta.join();
  tb.join();
}

void init_captures() {
  auto [a_out, b_in] = gridlock::make_channel<int>(0, "init-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(0, "init-b");
  std::thread ta([out = std::move(a_out), in = std::move(a_in)]() mutable {
    out.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    in.recv();
  });
  std::thread tb([out = std::move(b_out), in = std::move(b_in)]() mutable {
    out.send(1); // CHECK-NOTE
    in.recv();
  });
  ta.join();
  tb.join();
}

void buffer_too_small() {
  auto [a_out, b_in] = gridlock::make_channel<int>(1, "small-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(1, "small-b");
  auto peer = [](sender<int> out, receiver<int> in) {
    out.send(1);
    out.send(2); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

void sends_in_a_loop() {
  auto [a_out, b_in] = gridlock::make_channel<int>(4, "loop-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(4, "loop-b");
  auto peer = [](sender<int> out, receiver<int> in) {
    for (int i = 0; i < 100; ++i) out.send(i); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

// Counted loops multiply: 3 x 2 sends, and one before them, into a buffer of 6.
void nested_counted_loops_overflow() {
  auto [a_out, b_in] = gridlock::make_channel<int>(6, "nest-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(6, "nest-b");
  auto peer = [](sender<int> out, receiver<int> in) {
    out.send(0);
    for (int row = 3; row > 0; --row)
      for (int col = 0; col <= 2; col += 2)
        out.send(row * col); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

// A count known only at run time, or a loop that may leave early: possible, with the reason.
void loop_count_unknown(int n) {
  auto [a_out, b_in] = gridlock::make_channel<int>(4, "count-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(4, "count-b");
  auto peer = [n](sender<int> out, receiver<int> in) {
    for (int i = 0; i < n; ++i) out.send(i); // CHECK-WARN: gridlock-circular-send possible CHECK-NOTE
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

void loop_may_leave_early(bool stop) {
  auto [a_out, b_in] = gridlock::make_channel<int>(2, "early-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(2, "early-b");
  auto peer = [stop](sender<int> out, receiver<int> in) {
    for (int i = 0; i < 8; ++i) {
      out.send(i); // CHECK-WARN: gridlock-circular-send possible CHECK-NOTE
      if (stop) break;
    }
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

void unknown_capacity(std::size_t n) {
  auto [a_out, b_in] = gridlock::make_channel<int>(n, "sized-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(n, "sized-b");
  auto peer = [](sender<int> out, receiver<int> in) {
    out.send(1); // CHECK-WARN: gridlock-circular-send possible CHECK-NOTE
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

void on_one_path_only(bool eager) {
  auto [a_out, b_in] = gridlock::make_channel<int>(0, "cond-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(0, "cond-b");
  gridlock::thread a("A", [eager](sender<int> out, receiver<int> in) {
    if (eager) out.send(1); // CHECK-WARN: gridlock-circular-send possible CHECK-NOTE
    in.recv();
    out.send(2);
  }, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", [](sender<int> out, receiver<int> in) {
    out.send(1); // CHECK-NOTE
    in.recv();
  }, std::move(b_out), std::move(b_in));
}

void synchronous_mailbox_sends() {
  gridlock::mailbox<int> to_a("to-a"), to_b("to-b");
  gridlock::thread a("A", [&] {
    to_b.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    to_a.receive();
  });
  gridlock::thread b("B", [&] {
    to_a.send(1); // CHECK-NOTE
    to_b.receive();
  });
}

struct pipes {
  sender<int> out;
  receiver<int> in;
};

void through_struct_fields() {
  auto [a_out, b_in] = gridlock::make_channel<int>(0, "field-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(0, "field-b");
  auto peer = [](pipes p) {
    p.out.send(1); // CHECK-WARN: gridlock-circular-send definite CHECK-NOTE
    p.in.recv();
  };
  gridlock::thread a("A", peer, pipes{std::move(a_out), std::move(a_in)});
  gridlock::thread b("B", peer, pipes{std::move(b_out), std::move(b_in)});
}
