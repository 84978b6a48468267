// The image-resize batch done right: the collector drains thumbnails as they come and only then
// reads how many the dispatcher queued, and the dispatcher closes the job queue before it
// reports the count. The pool closes 'thumbnails' when its last worker exits. Clean: nobody
// waits for a party that is itself waiting for them.
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
    done.send(t);
  }
}

std::vector<gridlock::thread> start_pool(gridlock::receiver<resize_job> jobs,
                                         gridlock::sender<thumbnail> done) {
  std::vector<gridlock::thread> pool;
  for (int i = 0; i < kWorkers; ++i)
    pool.push_back(gridlock::thread("resizer-" + std::to_string(i), resize_worker, jobs, done));
  return pool; // our copies of the ends die here: the workers hold the only ones
}

class collector {
public:
  collector(gridlock::receiver<int> expected, gridlock::receiver<thumbnail> done)
      : expected_(std::move(expected)), done_(std::move(done)) {}

  void operator()() {
    int received = 0, bytes = 0;
    while (auto t = done_.recv()) {
      ++received;
      bytes += t->bytes;
    }
    const int expected = expected_.recv().value_or(-1);
    std::printf("%d/%d thumbnails, %d bytes\n", received, expected, bytes);
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

  std::vector<gridlock::thread> pool = start_pool(std::move(jobs_rx), std::move(done_tx));
  gridlock::thread sink("collector", collector(std::move(expected_rx), std::move(done_rx)));

  for (int i = 0; i < kImages; ++i) jobs_tx.send({i, 64 + i});
  jobs_tx.close();
  expected_tx.send(kImages);
  return 0;
}
