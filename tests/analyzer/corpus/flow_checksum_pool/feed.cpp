// The feeder queues every block and closes the queue; the collector takes one digest per block.
#include "checksum.hpp"

namespace checksum {

void feed(gridlock::sender<block> blocks) {
  for (int i = 0; i < kBlocks; ++i)
    blocks.send({i, std::vector<std::uint8_t>(512, static_cast<std::uint8_t>(i))});
  blocks.close();
}

std::uint64_t collect(gridlock::receiver<digest> digests) {
  std::uint64_t total = 0;
  for (int i = 0; i < kBlocks; ++i) total += digests.recv()->sum;
  return total;
}

} // namespace checksum
