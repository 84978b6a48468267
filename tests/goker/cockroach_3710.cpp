// GoKer cockroach#3710: ForceRaftLogScanAndProcess walks the store's replicas under the store's
// read lock and offers each to the raft log queue; deciding whether to queue a replica asks the
// store for its raft status, which takes the same read lock again. The raft processing goroutine
// asks for the write lock in between: under Go's writer preference the nested read lock waits for
// the pending writer, and the writer for the outer read lock. Fix (upstream): the replicas are
// copied under the read lock, which is released before they are offered to the queue.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: ForceRaftLogScanAndProcess processRaft.func1
#include <gridlock/gridlock.hpp>

#include <map>
#include <memory>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the raft
// goroutine asks for the write lock once the scan holds the read lock, and the scan reaches the
// nested read lock once the writer is parked (under Go's policy a parked writer makes
// try_lock_shared fail).
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> scan_has_read =
      gridlock::make_channel<int>(1, "scan-has-read");
};

void until_writer_waits(gridlock::shared_mutex &rw) {
  while (rw.try_lock_shared()) {
    rw.unlock_shared();
    std::this_thread::yield();
  }
}

struct store;

struct replica {
  store *s;
};

struct raft_log_queue {
  void should_queue(replica *r);
};

struct base_queue {
  gridlock::mutex mu{"baseQueue.Mutex"};
  raft_log_queue *impl;

  void maybe_add(replica *repl) {
    gridlock::lock_guard g(mu);
    impl->should_queue(repl);
  }
};

// stopper.RunWorker in cockroach: the store's goroutines, which the test can wait for.
struct stopper {
  gridlock::wait_group wg{"stopper"};
  template <class F> void run_worker(const char *name, F f) { wg.go(name, std::move(f)); }
};

struct store {
  base_queue *raft_log_queue;
  std::map<int, replica *> replicas;
  gridlock::shared_mutex mu{"Store.mu"};
  stopper &workers;
  rendezvous &r;
  store(base_queue *q, stopper &s, rendezvous &rv) : raft_log_queue(q), workers(s), r(rv) {}

  void force_raft_log_scan_and_process() {
    mu.lock_shared();
    r.scan_has_read.first.send(1);
    until_writer_waits(mu);
    if (fixed) { // the fix: offer a copy of the replicas, without the store's lock
      std::vector<replica *> copy;
      for (const auto &[key, repl] : replicas) copy.push_back(repl);
      mu.unlock_shared();
      for (replica *repl : copy) raft_log_queue->maybe_add(repl);
      return;
    }
    for (const auto &[key, repl] : replicas) raft_log_queue->maybe_add(repl);
    mu.unlock_shared();
  }

  void raft_status() {
    mu.lock_shared(); // EXPECT: ForceRaftLogScanAndProcess | read lock | Store.mu
    mu.unlock_shared();
  }

  void process_raft() {
    workers.run_worker("processRaft.func1", [this] {
      r.scan_has_read.second.recv();
      for (;;) {
        std::vector<replica *> copy;
        mu.lock(); // EXPECT: processRaft.func1 | write lock | Store.mu
        for (const auto &[key, repl] : replicas) copy.push_back(repl);
        mu.unlock();
        break;
      }
    });
  }
};

void get_truncatable_indexes(replica *r) { r->s->raft_status(); }
void raft_log_queue::should_queue(replica *r) { get_truncatable_indexes(r); }

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  stopper workers;
  raft_log_queue rlq;
  base_queue bq{.impl = &rlq};
  store s(&bq, workers, r);
  replica r1{&s}, r2{&s};
  s.replicas[0] = &r1; // the kernel's keys are derived from the pointers: any two do
  s.replicas[1] = &r2;

  gridlock::wait_group wg("wg");
  wg.go("ForceRaftLogScanAndProcess", [&s] { s.force_raft_log_scan_and_process(); });
  wg.go("processRaft", [&s] { s.process_raft(); });
  // The Go test returns and leaves its goroutines behind; here main waits for them.
  wg.wait();
  workers.wg.wait();
  return 0;
}
