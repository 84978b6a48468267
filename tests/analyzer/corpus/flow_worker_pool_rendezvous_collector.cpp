// An image-resize batch: the dispatcher hands jobs to a pool over a rendezvous queue and only then
// tells the collector how many results to expect. The collector waits for that count before it
// receives, so each worker blocks handing over its first result, and the dispatcher blocks on
// the fourth job. Deadlock: dispatcher -> workers -> collector -> dispatcher.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr int kWorkers = 3;
constexpr int kImages = 6;

struct resize_job {
  int image;
  int width;
};

struct thumbnail {
  int image;
  int bytes;
};

void resize_worker(gridlock::receiver<resize_job> jobs, gridlock::sender<thumbnail> done) {
  while (auto j = jobs.recv()) {
    thumbnail t{j->image, j->width * j->width / 16};
    done.send(t); // CHECK-NOTE
  }
}

class collector {
public:
  collector(gridlock::receiver<int> expected, gridlock::receiver<thumbnail> done)
      : expected_(std::move(expected)), done_(std::move(done)) {}

  void operator()() {
    const int count = expected_.recv().value_or(0); // CHECK-NOTE
    int bytes = 0;
    for (int i = 0; i < count; ++i) bytes += done_.recv()->bytes;
    std::printf("%d thumbnails, %d bytes\n", count, bytes);
  }

private:
  gridlock::receiver<int> expected_;
  gridlock::receiver<thumbnail> done_;
};

} // namespace

int main() {
  auto [jobs_tx, jobs_rx] = gridlock::make_channel<resize_job>(0, "jobs");
  auto [done_tx, done_rx] = gridlock::make_channel<thumbnail>(0, "thumbnails");
  auto [expected_tx, expected_rx] = gridlock::make_channel<int>(0, "expected");

  std::vector<gridlock::thread> pool;
  for (int i = 0; i < kWorkers; ++i)
    pool.emplace_back(
        gridlock::thread("resizer-" + std::to_string(i), resize_worker, jobs_rx, done_tx));
  gridlock::thread sink("collector", collector(std::move(expected_rx), std::move(done_rx)));

  for (int i = 0; i < kImages; ++i)
    jobs_tx.send({i, 64 + i}); // CHECK-WARN: gridlock-circular-send definite
  expected_tx.send(kImages);
  jobs_tx.close();
  return 0;
}
