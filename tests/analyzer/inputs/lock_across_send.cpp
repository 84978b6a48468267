// gridlock-lock-across-send: a mutex held across a blocking operation its peer needs.
#include <gridlock/gridlock.hpp>

#include <mutex>

void both_hold_the_lock() {
  gridlock::mutex state("state");
  auto [tx, rx] = gridlock::make_channel<int>(0, "updates");
  gridlock::thread holder("holder", [&state](gridlock::sender<int> out) {
    gridlock::lock_guard lk(state);
    out.send(1); // CHECK-WARN: gridlock-lock-across-send definite CHECK-NOTE
  }, std::move(tx));
  gridlock::thread worker("worker", [&state](gridlock::receiver<int> in) {
    gridlock::lock_guard lk(state); // CHECK-NOTE
    in.recv();
  }, std::move(rx));
}

void peer_only_locks_first() {
  std::mutex m;
  auto [tx, rx] = gridlock::make_channel<int>(0, "jobs");
  gridlock::thread holder("holder", [&m](gridlock::sender<int> out) {
    std::lock_guard lk(m);
    out.send(1); // CHECK-WARN: gridlock-lock-across-send possible CHECK-NOTE
  }, std::move(tx));
  gridlock::thread worker("worker", [&m](gridlock::receiver<int> in) {
    {
      std::lock_guard lk(m); // CHECK-NOTE
    }
    in.recv();
  }, std::move(rx));
}

// A shared_mutex counts as a mutex: the writer holds it across a send whose receiver first takes
// a read lock.
void writer_holds_across_send() {
  gridlock::shared_mutex table("table");
  auto [tx, rx] = gridlock::make_channel<int>(0, "rows");
  gridlock::thread writer("writer", [&table](gridlock::sender<int> out) {
    gridlock::lock_guard lk(table);
    out.send(1); // CHECK-WARN: gridlock-lock-across-send definite CHECK-NOTE
  }, std::move(tx));
  gridlock::thread reader("reader", [&table](gridlock::receiver<int> in) {
    gridlock::shared_lock_guard lk(table); // CHECK-NOTE
    in.recv();
  }, std::move(rx));
}
