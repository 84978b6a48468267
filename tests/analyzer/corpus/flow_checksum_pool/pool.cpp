// The worker pool: each worker drains 'blocks' until it is closed. The statistics mutex is held
// only around the counter update, never across a channel operation.
#include "checksum.hpp"

#include <string>

namespace checksum {

pool::pool(gridlock::receiver<block> blocks, gridlock::sender<digest> digests) {
  for (int i = 0; i < kWorkers; ++i)
    workers_.push_back(
        gridlock::thread("hasher-" + std::to_string(i), &pool::work, this, i, blocks, digests));
}

pool::~pool() {
  for (auto &w : workers_) w.join();
}

int pool::blocks_done(int worker) {
  std::lock_guard lk(stats_mu_);
  return done_[worker];
}

void pool::work(int id, gridlock::receiver<block> blocks, gridlock::sender<digest> digests) {
  while (auto b = blocks.recv()) {
    std::uint32_t a = 1, s = 0; // Adler-32
    for (std::uint8_t byte : b->bytes) {
      a = (a + byte) % 65521;
      s = (s + a) % 65521;
    }
    {
      std::lock_guard lk(stats_mu_);
      ++done_[id];
    }
    digests.send({b->index, (s << 16) | a});
  }
}

} // namespace checksum
