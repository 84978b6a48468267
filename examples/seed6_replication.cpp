// Seed scenario 6: replication. A writer fans each update out to three replicas and waits for
// every acknowledgement (an AND wait); replica-3 stops acknowledging after the first update.
//
// Expected: a definite deadlock whose cycle is writer -> replica-3 -> writer: the writer blocked
// in "mailbox receive_all" (waiting for all of replica-3's acknowledgement), replica-3 blocked in
// "chan receive" for the next update, which only the writer can send. With on_deadlock=break the
// program recovers and ends normally.
#include <gridlock/gridlock.hpp>

#include <array>
#include <cstdio>
#include <optional>

namespace {

struct ack {
  int update;
};
struct update {
  int seq;
  gridlock::mailbox<ack> *reply_to;
};

void replica(int id, gridlock::receiver<update> in) {
  try {
    while (std::optional<update> u = in.recv()) { // EXPECT: chan receive (replica-3, blocked)
      if (id == 3 && u->seq > 0) continue;        // the silent replica
      u->reply_to->post(ack{u->seq});
    }
  } catch (const gridlock::deadlock_error &e) {
    std::printf("replica-%d: %s\n", id, e.what());
  }
}

void writer(std::array<gridlock::sender<update>, 3> replicas,
            std::array<gridlock::actor_id, 3> replica_ids) {
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
  std::array<gridlock::sender<update>, 3> to_replicas;
  std::array<gridlock::thread, 3> replicas;
  std::array<gridlock::actor_id, 3> ids{};
  for (int i = 0; i < 3; ++i) {
    auto [tx, rx] = gridlock::make_channel<update>(1, "updates-" + std::to_string(i + 1));
    to_replicas[i] = std::move(tx);
    replicas[i] =
        gridlock::thread("replica-" + std::to_string(i + 1), replica, i + 1, std::move(rx));
    ids[i] = replicas[i].id();
  }
  gridlock::thread w("writer", writer, std::move(to_replicas), ids);
  w.join();
  for (auto &r : replicas) r.join();
}
