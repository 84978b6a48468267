// The batch exporter with the batch size taken from the command line (default 6) and a record
// queue of 8: the uploader waits for the seal before it takes any record. Up to 8 records the
// batch fits and the program ends; with more, the writer blocks on a full queue while the
// uploader waits for the seal. Possible: it depends on a value known only at run time.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int kQueueSlots = 8;

struct record {
  int id;
  std::string payload;
};

struct batch_channels {
  gridlock::sender<record> records_out;
  gridlock::receiver<record> records_in;
  gridlock::sender<int> seal_out;
  gridlock::receiver<int> seal_in;
};

batch_channels make_batch_channels() {
  auto [rec_tx, rec_rx] = gridlock::make_channel<record>(kQueueSlots, "records");
  auto [seal_tx, seal_rx] = gridlock::make_channel<int>(0, "seal");
  return {std::move(rec_tx), std::move(rec_rx), std::move(seal_tx), std::move(seal_rx)};
}

void upload(gridlock::receiver<record> records, gridlock::receiver<int> seal) {
  const int count = seal.recv().value_or(0); // CHECK-WARN: gridlock-circular-send possible
  std::size_t bytes = 0;
  for (int i = 0; i < count; ++i) bytes += records.recv()->payload.size();
  std::printf("uploaded %d records, %zu bytes\n", count, bytes);
}

void write_batch(int batch, gridlock::sender<record> records, gridlock::sender<int> seal) {
  for (int i = 0; i < batch; ++i) {
    records.send({i, "row-" + std::to_string(i)}); // CHECK-NOTE
  }
  seal.send(batch);
}

} // namespace

int main(int argc, char **argv) {
  const int batch = argc > 1 ? std::atoi(argv[1]) : 6;
  batch_channels ch = make_batch_channels();
  gridlock::thread uploader("uploader", upload, std::move(ch.records_in), std::move(ch.seal_in));
  gridlock::thread writer("writer", write_batch, batch, std::move(ch.records_out),
                          std::move(ch.seal_out));
  return 0;
}
