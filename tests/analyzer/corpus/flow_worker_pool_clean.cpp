// A fixed pool of workers squares jobs taken from a shared queue. The dispatcher queues every job
// and closes the queue; the workers stop once it is drained; the collector reads exactly one
// result per job. Clean: every send has a receiver that keeps receiving, and every receive ends
// with a value or with the close.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr int kWorkers = 4;
constexpr int kJobs = 32;

struct job {
  int id;
  int payload;
};

struct result {
  int id;
  long value;
};

class worker_pool {
public:
  worker_pool(gridlock::receiver<job> jobs, gridlock::sender<result> results) {
    for (int i = 0; i < kWorkers; ++i) {
      gridlock::thread t("worker-" + std::to_string(i), &worker_pool::work, jobs, results);
      workers_.push_back(std::move(t));
    }
  }

private:
  static void work(gridlock::receiver<job> jobs, gridlock::sender<result> results) {
    while (auto j = jobs.recv()) results.send({j->id, long{j->payload} * j->payload});
  }

  std::vector<gridlock::thread> workers_;
};

void dispatch(gridlock::sender<job> jobs) {
  for (int i = 0; i < kJobs; ++i) jobs.send({i, i + 1});
  jobs.close();
}

} // namespace

int main() {
  auto [jobs_tx, jobs_rx] = gridlock::make_channel<job>(2, "jobs");
  auto [results_tx, results_rx] = gridlock::make_channel<result>(0, "results");
  worker_pool pool(std::move(jobs_rx), std::move(results_tx));
  gridlock::thread dispatcher("dispatcher", dispatch, std::move(jobs_tx));

  long total = 0;
  for (int i = 0; i < kJobs; ++i) total += results_rx.recv()->value;
  std::printf("sum of squares: %ld\n", total);
  return 0;
}
