// GoKer kubernetes#58107: the resource quota controller's workers take the controller's worker
// read lock before they pull from their queue, so a worker whose queue is empty waits on the
// queue's condition variable while holding the read lock. Sync() takes the write lock
// periodically: it waits for that idle worker, and under Go's writer preference the worker of the
// other queue, which has work, waits for Sync() at its read lock. Fix (upstream): a worker pulls
// the item first and takes the read lock only to process it.
//
// The kernel's queue is a bare condition variable whose signals are lost when nobody waits (that
// is how its first queue stays empty); here the queue counts its items and can be shut down, as
// the real workqueue, and the test gives work to the missing-usage queue only: the quota queue is
// simply idle. The test waits for Sync(), then shuts the queues down and joins the workers. Nobody
// ever notifies the idle queue, so gridlock reports the whole process stuck without a cycle (the
// idle worker waits for a wake-up no live actor has ever given).
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer loops until it happens): Sync() starts once the
// quota worker is about to pull from its queue, and the missing-usage worker asks for the read
// lock once Sync() is parked in the write lock (under Go's policy a parked writer makes
// try_lock_shared fail) or is done.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> pulling =
      gridlock::make_channel<int>(1, "quota-worker-pulling");
  std::atomic<bool> sync_done{false};
};

void until_writer_waits(gridlock::shared_mutex &rw, const std::atomic<bool> &writer_done) {
  while (!writer_done.load() && rw.try_lock_shared()) {
    rw.unlock_shared();
    std::this_thread::yield();
  }
}

struct rate_limiting_interface {
  virtual ~rate_limiting_interface() = default;
  virtual bool get() = 0; // true: shut down
  virtual void put() = 0;
  virtual void shut_down() = 0;
};

struct queue_type : rate_limiting_interface {
  gridlock::mutex L;
  gridlock::condition_variable cond;
  int items = 0;
  bool shutting_down = false;
  explicit queue_type(const std::string &name) : L(name + ".cond.L"), cond(name + ".cond") {}

  bool get() override {
    std::unique_lock lk(L);
    while (items == 0 && !shutting_down)
      cond.wait(lk); // EXPECT: worker-queue | condition wait | queue.cond
    if (items == 0) return true;
    --items;
    return false;
  }
  void put() override {
    std::unique_lock lk(L);
    ++items;
    cond.notify_one();
  }
  void shut_down() override {
    std::unique_lock lk(L);
    shutting_down = true;
    cond.notify_all();
  }
};

struct resource_quota_controller {
  gridlock::shared_mutex worker_lock{"workerLock"};
  rate_limiting_interface *queue;
  rate_limiting_interface *missing_usage_queue;
  gridlock::thread workers[2];
  rendezvous &r;
  resource_quota_controller(rate_limiting_interface *q, rate_limiting_interface *m, rendezvous &rv)
      : queue(q), missing_usage_queue(m), r(rv) {}

  auto worker(rate_limiting_interface *q, bool quota_worker) {
    auto work_func = [this, q, quota_worker] {
      if (fixed) { // the fix: pull first, then hold the read lock only while processing
        if (quota_worker) r.pulling.first.send(1);
        q->get();
        if (!quota_worker) until_writer_waits(worker_lock, r.sync_done);
        worker_lock.lock_shared();
        worker_lock.unlock_shared();
        return true; // the kernel's workers stop after one item
      }
      if (!quota_worker) until_writer_waits(worker_lock, r.sync_done);
      worker_lock.lock_shared(); // EXPECT: worker-missingUsageQueue | read lock | workerLock
      if (quota_worker) r.pulling.first.send(1);
      q->get();
      worker_lock.unlock_shared();
      return true;
    };
    return [work_func] {
      for (;;)
        if (const bool quit = work_func(); quit) return;
    };
  }

  void run() {
    workers[0] = gridlock::thread("worker-queue", worker(queue, true));
    workers[1] = gridlock::thread("worker-missingUsageQueue", worker(missing_usage_queue, false));
  }

  void sync() {
    r.pulling.second.recv();
    // The kernel sleeps 1ns inside the section to widen the window; the interleaving is forced.
    for (int i = 0; i < 100000; ++i) {
      worker_lock.lock(); // EXPECT: Sync | write lock | workerLock
      worker_lock.unlock();
    }
    r.sync_done.store(true);
  }

  void helper_signals() {
    for (int i = 0; i < 100000; ++i) missing_usage_queue->put();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  queue_type queue("queue"), missing_usage_queue("missingUsageQueue");
  resource_quota_controller rq(&queue, &missing_usage_queue, r);
  gridlock::thread run("Run", [&rq] { rq.run(); });
  gridlock::thread sync("Sync", [&rq] { rq.sync(); });
  rq.helper_signals();
  // The Go test returns and leaves its goroutines behind; here main waits for Sync(), then stops
  // the queues and joins the workers.
  sync.join(); // EXPECT: main | thread join | Sync
  queue.shut_down();
  missing_usage_queue.shut_down();
  run.join();
  for (auto &w : rq.workers) w.join();
  return 0;
}
