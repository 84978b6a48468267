// Seed scenario 6 (examples/seed6_replication.cpp) in the copy style of issue 19: the handles are
// COPIED into the threads' lambdas by init-capture, and `main` keeps its originals, unused, and
// joins. A writer fans each update out to three replicas and waits for every acknowledgement (an
// AND wait); replica-3 stops acknowledging after the first update.
//
// Once replica-3 has taken the second update it waits until the writer is asleep in receive_all
// (and `main` in its join) before it asks for the next update, so the writer's receive_all is the
// oldest wait of the cycle, and the whole process is stuck from the moment the cycle exists.
//
// Expected: the seed's deadlock, definite, cycle writer -> replica-3 -> writer: the writer in
// "mailbox receive_all" on 'acks' (mode all), waiting for replica-3 only; replica-3 in
// "chan receive" on 'updates-3', waiting for the writer; replica-1 and replica-2, blocked in
// "chan receive" for an update that never comes, and `main`, blocked in "thread join" on
// 'writer', listed too; SUMMARY at the writer's receive_all.
//
// With on_deadlock=break, replica-3 (the youngest wait of the cycle) gives up first; every later
// break is a consequence of that one. Since `main` holds the senders, the channels never close:
// the other actors only end by being broken in turn, and then the program ends normally.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <array>
#include <atomic>
#include <cstdio>
#include <optional>
#include <unistd.h>

namespace {

struct ack {
  int update;
};
struct update {
  int seq;
  gridlock::mailbox<ack> *reply_to;
};

// The threads replica-3 waits for before its last receive.
struct sleepers {
  const std::atomic<pid_t> main{::gettid()};
  std::atomic<pid_t> writer{0};
};

// One replica, on the handle object its lambda holds (by reference: no copy, no move).
void replica(int id, gridlock::receiver<update> &in, const sleepers &others) {
  try {
    while (std::optional<update> u = in.recv()) { // EXPECT: chan receive (replica-3, blocked)
      if (id == 3 && u->seq > 0) {                // the silent replica
        gridlock::testing::wait_until_asleep({&others.writer, &others.main}); // they wait first
        continue;
      }
      u->reply_to->post(ack{u->seq});
    }
  } catch (const gridlock::deadlock_error &e) {
    std::printf("replica-%d: %s\n", id, e.what());
  }
}

void writer(std::array<gridlock::sender<update>, 3> &replicas,
            const std::array<gridlock::actor_id, 3> &replica_ids) {
  gridlock::mailbox<ack> acks("acks");
  try {
    for (int seq = 0; seq < 3; ++seq) {
      for (auto &r : replicas) r.send(update{seq, &acks});
      acks.receive_all(replica_ids); // EXPECT: mailbox receive_all, blocked on replica-3
      std::printf("writer: update %d acknowledged by all replicas\n", seq);
    }
  } catch (const gridlock::deadlock_error &e) {
    std::printf("writer: %s\n", e.what());
  }
}

} // namespace

int main() {
  // main's originals: kept until the end, never used, never moved.
  auto [tx1, rx1] = gridlock::make_channel<update>(1, "updates-1");
  auto [tx2, rx2] = gridlock::make_channel<update>(1, "updates-2");
  auto [tx3, rx3] = gridlock::make_channel<update>(1, "updates-3");
  sleepers tids; // constructed on main's thread

  gridlock::thread r1("replica-1", [rx = rx1, &tids]() mutable { replica(1, rx, tids); });
  gridlock::thread r2("replica-2", [rx = rx2, &tids]() mutable { replica(2, rx, tids); });
  gridlock::thread r3("replica-3", [rx = rx3, &tids]() mutable { replica(3, rx, tids); });
  const std::array<gridlock::actor_id, 3> ids{r1.id(), r2.id(), r3.id()};
  gridlock::thread w("writer", [txs = std::array<gridlock::sender<update>, 3>{tx1, tx2, tx3}, ids,
                                &tids]() mutable {
    tids.writer = ::gettid();
    writer(txs, ids);
  });

  w.join(); // EXPECT: thread join (main waits for the writer)
  r1.join();
  r2.join();
  r3.join();
}
