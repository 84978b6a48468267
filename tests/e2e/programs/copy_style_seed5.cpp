// Seed scenario 5 (examples/seed5_mutex_across_send.cpp) in the copy style of issue 19: the
// handles are COPIED into the threads' lambdas by init-capture, and `main` keeps its originals,
// unused, and joins. A mutex is held across a blocking send whose receiver needs the same mutex.
//
// "holder" locks `state`, lets the worker start (on 'go') and sends on the rendezvous channel
// 'updates'. "worker" is started once holder is asleep in that send, and goes on (takes 'go',
// then locks `state` before it receives) only once `main` is asleep in its join. So holder's send
// is the oldest wait of the cycle, and the whole process is stuck from the moment the cycle
// exists.
//
// Expected (run with on_deadlock=abort): the seed's mixed lock/channel deadlock, definite, cycle
// holder -> worker -> holder: holder in "chan send" on 'updates' waiting for worker, worker in
// "mutex lock" on 'state' waiting for holder; `main` listed as blocked in "thread join" on
// 'holder'; SUMMARY at holder's send. Then SIGABRT.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <cstdio>
#include <exception>
#include <unistd.h>

int main() {
  gridlock::mutex state("state");
  auto [updates_tx, updates_rx] = gridlock::make_channel<int>(0, "updates");
  auto [go_tx, go_rx] = gridlock::make_unbounded_channel<int>("go");
  const std::atomic<pid_t> main_tid{::gettid()};
  std::atomic<pid_t> holder_tid{0};

  gridlock::thread holder("holder", [&, updates = updates_tx, go = go_tx]() mutable {
    holder_tid = ::gettid();
    try {
      gridlock::lock_guard lk(state);
      go.send(1);       // let the worker start while we hold the lock
      updates.send(42); // EXPECT: chan send, blocked while holding `state`
    } catch (const std::exception &e) {
      std::printf("holder: %s\n", e.what());
    }
  });
  gridlock::testing::wait_until_asleep({&holder_tid});

  gridlock::thread worker("worker", [&, updates = updates_rx, go = go_rx]() mutable {
    gridlock::testing::wait_until_asleep({&main_tid}); // main is in its join
    try {
      go.recv();
      gridlock::lock_guard lk(state); // EXPECT: mutex lock, blocked: holder owns `state`
      updates.recv();
    } catch (const std::exception &e) {
      std::printf("worker: %s\n", e.what());
    }
  });

  // main still holds its four original handles, unused.
  holder.join(); // EXPECT: thread join (main waits for holder)
  worker.join();
}
