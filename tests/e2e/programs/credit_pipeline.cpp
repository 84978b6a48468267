// Issue 19: a three-stage pipeline whose last stage sends credit back to the first, written the
// way the README shows: channels made with `auto [tx, rx] = make_channel(...)`, each stage's
// handles COPIED into its lambda by init-capture, `main` keeping (and never using) the originals.
//
//   source --stage1--> middle --stage2--> sink --credit--> source      (all rendezvous)
//
// Every stage sends first and receives afterwards, so all three block in their sends: the cycle
// is source -> middle -> sink -> source. The order is fixed: source blocks in its send, then
// middle, then `main` in its join on source, and only then sink, whose send closes the cycle. So
// source's send is the oldest wait of the cycle (the bug's first line), and the whole process is
// stuck from the moment the cycle exists.
//
// Expected (run with on_deadlock=abort): one definite deadlock whose cycle is source, middle,
// sink in that order, each in "chan send" at the line marked below and waiting for the next
// stage; `main` listed as blocked in "thread join" on 'source' (it also holds an unused copy of
// every end); SUMMARY at source's send. The process then dies of SIGABRT.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <unistd.h>

int main() {
  auto [to_middle, middle_rx] = gridlock::make_channel<int>(0, "stage1");
  auto [to_sink, sink_rx] = gridlock::make_channel<int>(0, "stage2");
  auto [credit_tx, credit_rx] = gridlock::make_channel<int>(0, "credit");
  const std::atomic<pid_t> main_tid{::gettid()};
  std::atomic<pid_t> source_tid{0}, middle_tid{0};

  gridlock::thread source("source", [tx = to_middle, rx = credit_rx, &source_tid]() mutable {
    source_tid = ::gettid();
    tx.send(1); // EXPECT: chan send (source on stage1, the cycle's first wait)
    rx.recv();
  });
  gridlock::testing::wait_until_asleep({&source_tid});

  gridlock::thread middle("middle", [tx = to_sink, rx = middle_rx, &middle_tid]() mutable {
    middle_tid = ::gettid();
    tx.send(2); // EXPECT: chan send (middle on stage2)
    rx.recv();
  });
  gridlock::testing::wait_until_asleep({&middle_tid});

  gridlock::thread sink("sink", [tx = credit_tx, rx = sink_rx, &main_tid]() mutable {
    gridlock::testing::wait_until_asleep({&main_tid}); // main is in its join
    tx.send(3); // EXPECT: chan send (sink on credit, closes the cycle)
    rx.recv();
  });

  // main still holds its six original handles, unused.
  source.join(); // EXPECT: thread join (main waits for source)
  middle.join();
  sink.join();
}
