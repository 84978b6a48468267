// A checksum service over a pool of 4 workers: a feeder thread queues 24 blocks and closes the
// queue, the workers hash them, and main collects exactly 24 digests before the pool joins its
// workers. Clean: the collector receives as long as digests are owed, the queue is closed after
// the last block, and the statistics mutex is never held across a send or a receive.
#include "checksum.hpp"

#include <cstdio>

int main() {
  auto [blocks_tx, blocks_rx] = gridlock::make_channel<checksum::block>(4, "blocks");
  auto [digests_tx, digests_rx] = gridlock::make_channel<checksum::digest>(0, "digests");
  checksum::pool hashers(std::move(blocks_rx), std::move(digests_tx));
  gridlock::thread feeder("feeder", checksum::feed, std::move(blocks_tx));
  const std::uint64_t total = checksum::collect(std::move(digests_rx));
  std::printf("total %llu; worker 0 hashed %d blocks\n", static_cast<unsigned long long>(total),
              hashers.blocks_done(0));
  return 0;
}
