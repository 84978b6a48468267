// A checksum service split over three files: pool.cpp runs the worker pool, feed.cpp queues the
// blocks and collects the checksums, main.cpp wires the channels.
#pragma once

#include <gridlock/gridlock.hpp>

#include <cstdint>
#include <mutex>
#include <vector>

namespace checksum {

constexpr int kWorkers = 4;
constexpr int kBlocks = 24;

struct block {
  int index;
  std::vector<std::uint8_t> bytes;
};

struct digest {
  int index;
  std::uint32_t sum;
};

class pool {
public:
  pool(gridlock::receiver<block> blocks, gridlock::sender<digest> digests);
  ~pool(); // joins the workers
  int blocks_done(int worker);

private:
  void work(int id, gridlock::receiver<block> blocks, gridlock::sender<digest> digests);

  std::mutex stats_mu_;
  int done_[kWorkers] = {};
  std::vector<gridlock::thread> workers_;
};

void feed(gridlock::sender<block> blocks);                 // feed.cpp
std::uint64_t collect(gridlock::receiver<digest> digests); // feed.cpp

} // namespace checksum
