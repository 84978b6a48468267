// Issue 19: the seed's A <-> B exchange (each sends first to the other on a rendezvous channel),
// with the sends three calls deep and the handles COPIED into the lambdas by init-capture; `main`
// keeps its originals, unused, and joins.
//
// A starts and blocks in its send before B starts; B sends only once `main` is asleep in its join.
// So A's send is the oldest wait of the cycle, and the whole process is stuck from the moment the
// cycle exists.
//
// Expected (run with on_deadlock=abort): exactly one definite deadlock, cycle A -> B -> A, both
// in "chan send" at level3's send (A on 'to-B', B on 'to-A'), each waiting for the other; `main`
// listed as blocked in "thread join" on 'A'; SUMMARY at level3's send. Then SIGABRT.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <unistd.h>

namespace {

// The handle is passed by reference all the way down: the same handle object the lambda holds.
void level3(gridlock::sender<int> &tx) {
  tx.send(1); // EXPECT: chan send (three calls deep, both peers)
}
void level2(gridlock::sender<int> &tx) { level3(tx); }
void level1(gridlock::sender<int> &tx) { level2(tx); }

} // namespace

int main() {
  auto [b_tx, b_rx] = gridlock::make_channel<int>(0, "to-B");
  auto [a_tx, a_rx] = gridlock::make_channel<int>(0, "to-A");
  const std::atomic<pid_t> main_tid{::gettid()};
  std::atomic<pid_t> a_tid{0};

  gridlock::thread a("A", [tx = b_tx, rx = a_rx, &a_tid]() mutable {
    a_tid = ::gettid();
    level1(tx);
    rx.recv();
  });
  gridlock::testing::wait_until_asleep({&a_tid});

  gridlock::thread b("B", [tx = a_tx, rx = b_rx, &main_tid]() mutable {
    gridlock::testing::wait_until_asleep({&main_tid}); // main is in its join
    level1(tx);
    rx.recv();
  });

  // main still holds its four original handles, unused.
  a.join(); // EXPECT: thread join (main waits for A)
  b.join();
}
