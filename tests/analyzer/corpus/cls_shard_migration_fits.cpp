// Two Shards rebalance by migrating records to each other: each pushes all of its 8 outgoing
// records into the peer's incoming channel before it drains its own. The incoming channels are
// built with capacity 8 (kIncomingCapacity), so all 8 sends fit in the buffer without any receive
// and both Shards go on to drain what the other sent: clean (with capacity 4 it would deadlock).
#include <gridlock/gridlock.hpp>

#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

constexpr int kRecordsPerShard = 8;
constexpr std::size_t kIncomingCapacity = 8;

struct Record {
  int key;
  int owner;
};

class Shard {
public:
  Shard(int id, std::size_t capacity)
      : id_(id), incoming_(gridlock::make_channel<Record>(capacity, "shard-" + std::to_string(id) +
                                                                        "-incoming")) {}

  sender<Record> incoming() const { return incoming_.first; }
  void connect(sender<Record> peer) { peer_ = std::move(peer); }

  void migrate() {
    for (int i = 0; i < kRecordsPerShard; ++i) peer_.send(Record{id_ * 100 + i, id_});
    for (int i = 0; i < kRecordsPerShard; ++i)
      if (auto r = incoming_.second.recv()) adopted_ += r->key;
  }
  long adopted() const { return adopted_; }

private:
  int id_;
  std::pair<sender<Record>, receiver<Record>> incoming_;
  sender<Record> peer_;
  long adopted_ = 0;
};

int main() {
  Shard east(1, kIncomingCapacity), west(2, kIncomingCapacity);
  east.connect(west.incoming());
  west.connect(east.incoming());
  {
    gridlock::thread e("east", [&east] { east.migrate(); });
    gridlock::thread w("west", [&west] { west.migrate(); });
  }
  std::printf("east adopted %ld, west adopted %ld\n", east.adopted(), west.adopted());
}
