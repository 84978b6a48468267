// The chunked upload, uploader -> compressor -> store, with its acknowledgement queue sized for
// the whole upload: the store acks each of the kChunks chunks into a buffer of kChunks slots, so
// no ack waits for the uploader, which reads them all once it has sent every chunk. Clean: the
// store never blocks, so neither do the compressor and the uploader.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <vector>

namespace {

constexpr int kChunks = 4;

struct chunk {
  int index;
  std::vector<char> bytes;
};

class uploader {
public:
  uploader(gridlock::sender<chunk> out, gridlock::receiver<int> acks)
      : out_(std::move(out)), acks_(std::move(acks)) {}

  void operator()() {
    for (int i = 0; i < kChunks; ++i) {
      chunk c{i, std::vector<char>(256, static_cast<char>('a' + i))};
      out_.send(std::move(c));
    }
    out_.close();
    int acked = 0;
    while (acked < kChunks && acks_.recv()) ++acked;
    std::printf("%d chunks acknowledged\n", acked);
  }

private:
  gridlock::sender<chunk> out_;
  gridlock::receiver<int> acks_;
};

void compress(gridlock::receiver<chunk> in, gridlock::sender<chunk> out) {
  while (auto c = in.recv()) {
    c->bytes.resize(c->bytes.size() / 4);
    out.send(std::move(*c));
  }
  out.close();
}

void store(gridlock::receiver<chunk> in, gridlock::sender<int> acks) {
  std::size_t stored = 0;
  while (auto c = in.recv()) {
    stored += c->bytes.size();
    acks.send(c->index);
  }
  std::printf("stored %zu bytes\n", stored);
}

} // namespace

int main() {
  auto [raw_tx, raw_rx] = gridlock::make_channel<chunk>(0, "raw-chunks");
  auto [packed_tx, packed_rx] = gridlock::make_channel<chunk>(0, "packed-chunks");
  auto [ack_tx, ack_rx] = gridlock::make_channel<int>(kChunks, "acks");
  gridlock::thread up("uploader", uploader(std::move(raw_tx), std::move(ack_rx)));
  gridlock::thread zip("compressor", compress, std::move(raw_rx), std::move(packed_tx));
  gridlock::thread disk("store", store, std::move(packed_rx), std::move(ack_tx));
  return 0;
}
