// Seed scenario 1 (examples/seed1_sync_sends.cpp) in the copy style of issue 19: the handles are
// COPIED into the threads' lambdas by init-capture, and `main` keeps its originals, unused, and
// joins. Two actors each send synchronously to the other first (A->B while B->A).
//
// A starts and blocks in its send before B starts; B sends only once `main` is asleep in its join.
// So A's send is the oldest wait of the cycle, and the whole process is stuck from the moment the
// cycle exists.
//
// Expected (run with on_deadlock=abort): the seed's deadlock, definite, cycle A -> B -> A, both
// blocked in "chan send" on the rendezvous channels at the line marked below, each waiting for
// the other; `main` listed as blocked in "thread join" on 'A'; SUMMARY at A's send. Then SIGABRT.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <cstdio>
#include <unistd.h>

namespace {

// One peer, on the handle objects its lambda holds (by reference: no copy, no move).
void peer(const char *self, gridlock::sender<int> &to_other, gridlock::receiver<int> &from_other) {
  try {
    to_other.send(1); // EXPECT: chan send, blocked (both peers send first)
    from_other.recv();
  } catch (const gridlock::deadlock_error &) {
    std::printf("%s: chosen as the deadlock victim, giving up\n", self);
  } catch (const gridlock::channel_closed &) {
    std::printf("%s: the other side is gone\n", self);
  }
}

} // namespace

int main() {
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  const std::atomic<pid_t> main_tid{::gettid()};
  std::atomic<pid_t> a_tid{0};

  gridlock::thread a("A", [tx = a_to_b, rx = a_from_b, &a_tid]() mutable {
    a_tid = ::gettid();
    peer("A", tx, rx);
  });
  gridlock::testing::wait_until_asleep({&a_tid});

  gridlock::thread b("B", [tx = b_to_a, rx = b_from_a, &main_tid]() mutable {
    gridlock::testing::wait_until_asleep({&main_tid}); // main is in its join
    peer("B", tx, rx);
  });

  // main still holds its four original handles, unused.
  a.join(); // EXPECT: thread join (main waits for A)
  b.join();
}
