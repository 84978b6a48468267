// A job server queues a whole batch before it reads any result, and closes the queue only after
// collecting. Two workers, a results buffer of 2 and a job queue of 1 absorb 5 of the 8 jobs: the
// workers block sending their third and fourth results, so the server blocks queueing the sixth
// job. Deadlock: server (send 'jobs') -> workers (send 'results') -> server.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr int kWorkers = 2;
constexpr int kJobs = 8;

struct job {
  int id;
  int payload;
};

struct result {
  int id;
  long value;
};

void work(gridlock::receiver<job> jobs, gridlock::sender<result> results) {
  while (auto j = jobs.recv()) {
    results.send({j->id, long{j->payload} * 3}); // CHECK-NOTE
  }
}

class job_server {
public:
  job_server() {
    auto [jobs_tx, jobs_rx] = gridlock::make_channel<job>(1, "jobs");
    auto [results_tx, results_rx] = gridlock::make_channel<result>(2, "results");
    jobs_ = std::move(jobs_tx);
    results_ = std::move(results_rx);
    for (int i = 0; i < kWorkers; ++i) {
      gridlock::thread t("worker-" + std::to_string(i), work, jobs_rx, results_tx);
      workers_.push_back(std::move(t));
    }
  }

  long run() {
    for (int i = 0; i < kJobs; ++i)
      jobs_.send({i, i}); // CHECK-WARN: gridlock-circular-send definite
    long total = 0;
    for (int i = 0; i < kJobs; ++i) total += results_.recv()->value;
    jobs_.close();
    return total;
  }

private:
  gridlock::sender<job> jobs_;
  gridlock::receiver<result> results_;
  std::vector<gridlock::thread> workers_;
};

} // namespace

int main() {
  job_server server;
  std::printf("total: %ld\n", server.run());
  return 0;
}
