// Correct programs: no finding at all.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <mutex>
#include <vector>

using gridlock::receiver;
using gridlock::sender;

void correct_ordering() {
  auto [a_out, b_in] = gridlock::make_channel<int>(0, "a");
  auto [b_out, a_in] = gridlock::make_channel<int>(0, "b");
  gridlock::thread a("A", [](sender<int> out, receiver<int> in) {
    out.send(1);
    in.recv();
  }, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", [](sender<int> out, receiver<int> in) {
    in.recv();  // one side receives first
    out.send(2);
  }, std::move(b_out), std::move(b_in));
}

void sufficient_buffers() {
  auto [a_out, b_in] = gridlock::make_channel<int>(2, "a");
  auto [b_out, a_in] = gridlock::make_channel<int>(2, "b");
  auto peer = [](sender<int> out, receiver<int> in) {
    out.send(1);
    out.send(2);
    in.recv();
    in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

// A constant count of sends that fits the constant capacity never blocks before the receives.
void counted_sends_fit_the_buffer() {
  constexpr int kBatch = 8;
  auto [a_out, b_in] = gridlock::make_channel<int>(kBatch, "batch-a");
  auto [b_out, a_in] = gridlock::make_channel<int>(kBatch, "batch-b");
  auto peer = [](sender<int> out, receiver<int> in) {
    for (int i = 0; i < kBatch; ++i) out.send(i);
    for (int i = 0; i < kBatch; ++i) in.recv();
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

void timed_sends() {
  auto [a_out, b_in] = gridlock::make_channel<int>(0, "a");
  auto [b_out, a_in] = gridlock::make_channel<int>(0, "b");
  auto peer = [](sender<int> out, receiver<int> in) {
    int v = 1;
    while (!out.send_for(v, std::chrono::milliseconds(10))) {
      if (in.try_recv()) break;
    }
  };
  gridlock::thread a("A", peer, std::move(a_out), std::move(a_in));
  gridlock::thread b("B", peer, std::move(b_out), std::move(b_in));
}

void close_based_shutdown() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "jobs");
  std::vector<gridlock::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back("worker", [](receiver<int> jobs) {
      while (jobs.recv()) {
      }
    }, rx);
  for (int i = 0; i < 10; ++i) tx.send(i);
  tx.close();
}

void producer_consumer() {
  auto [tx, rx] = gridlock::make_channel<int>(4, "buffer");
  gridlock::thread producer("producer", [](sender<int> out) {
    for (int i = 0; i < 100; ++i) out.send(i);
  }, std::move(tx));
  gridlock::thread consumer("consumer", [](receiver<int> in) {
    while (auto v = in.recv()) {
    }
  }, std::move(rx));
}

void request_reply() {
  auto [req_tx, req_rx] = gridlock::make_channel<int>(0, "requests");
  auto [rep_tx, rep_rx] = gridlock::make_channel<int>(0, "replies");
  gridlock::thread server("server", [](receiver<int> in, sender<int> out) {
    while (auto r = in.recv()) out.send(*r * 2);
  }, std::move(req_rx), std::move(rep_tx));
  gridlock::thread client("client", [](sender<int> out, receiver<int> in) {
    for (int i = 0; i < 3; ++i) {
      out.send(i);
      in.recv();
    }
  }, std::move(req_tx), std::move(rep_rx));
}

void lock_never_held_across_a_blocking_operation() {
  std::mutex m;
  auto [tx, rx] = gridlock::make_channel<int>(0, "after-unlock");
  gridlock::thread a("A", [&m](sender<int> out) {
    {
      std::lock_guard lk(m);
    }
    out.send(1);
  }, std::move(tx));
  gridlock::thread b("B", [&m](receiver<int> in) {
    {
      std::lock_guard lk(m);
    }
    in.recv();
  }, std::move(rx));
}

struct ends {
  sender<int> out;
  receiver<int> in;
};

void struct_fields_in_the_right_order() {
  auto [a_out, b_in] = gridlock::make_channel<int>(0, "a");
  auto [b_out, a_in] = gridlock::make_channel<int>(0, "b");
  gridlock::thread a("A", [](ends e) {
    e.out.send(1);
    e.in.recv();
  }, ends{std::move(a_out), std::move(a_in)});
  gridlock::thread b("B", [](ends e) {
    e.in.recv();
    e.out.send(1);
  }, ends{std::move(b_out), std::move(b_in)});
}
