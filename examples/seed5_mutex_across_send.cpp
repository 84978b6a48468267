// Seed scenario 5: a mutex held across a blocking send whose receiver needs the same mutex.
//
// "holder" locks `state` and then sends on a rendezvous channel; "worker" must lock `state`
// before it receives. Expected: a definite mixed lock/channel deadlock, cycle
// holder -> worker -> holder: holder blocked in "chan send" on "updates", worker blocked in
// "mutex lock" on "state". With on_deadlock=break the program recovers and ends normally.
#include <gridlock/gridlock.hpp>

#include <cstdio>

int main() {
  gridlock::mutex state("state");
  auto [updates_tx, updates_rx] = gridlock::make_channel<int>(0, "updates");
  auto [go_tx, go_rx] = gridlock::make_unbounded_channel<int>("go");

  gridlock::thread holder(
      "holder",
      [&state](gridlock::sender<int> updates, gridlock::sender<int> go) {
        try {
          gridlock::lock_guard lk(state);
          go.send(1);       // let the worker start while we hold the lock
          updates.send(42); // EXPECT: chan send, blocked while holding `state`
        } catch (const std::exception &e) {
          std::printf("holder: %s\n", e.what());
        }
      },
      std::move(updates_tx), std::move(go_tx));

  gridlock::thread worker(
      "worker",
      [&state](gridlock::receiver<int> updates, gridlock::receiver<int> go) {
        try {
          go.recv();
          gridlock::lock_guard lk(state); // EXPECT: mutex lock, blocked: holder owns `state`
          updates.recv();
        } catch (const std::exception &e) {
          std::printf("worker: %s\n", e.what());
        }
      },
      std::move(updates_rx), std::move(go_rx));
}
