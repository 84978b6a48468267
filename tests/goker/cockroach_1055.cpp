// GoKer cockroach#1055: a worker's StartTask reads the stopper's draining flag without the lock,
// sees 0, and only then takes the stopper's mutex to count its task. Meanwhile Stop() takes that
// mutex, drains, closes the stopper and waits - still holding the mutex - for every worker to call
// SetStopped(): the worker waits for the mutex, Stop() waits for the worker, and the test waits for
// Stop(). Fix (upstream): StartTask checks `draining` under the mutex and counts tasks in a plain
// counter; FinishTask wakes a condition variable that Quiesce waits on (releasing the mutex);
// Stop() quiesces, closes the stopper and waits for the workers without holding the mutex.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: Stop worker0
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

using chan = std::pair<gridlock::sender<int>, gridlock::receiver<int>>;

// Forces the interleaving (GoKer runs the kernel until it happens): every worker has read the
// draining flag of its stopper before the stopper is touched, and goes on to take the stopper's
// mutex only once Stop() has closed the stopper.
struct rendezvous {
  chan checked = gridlock::make_channel<int>(1, "worker-checked");
  chan may_lock = gridlock::make_channel<int>(1, "worker-may-lock");
};

struct stopper {
  chan stopper_ch = gridlock::make_channel<int>(0, "stopper");
  gridlock::wait_group stop{"stop"};
  gridlock::mutex mu{"Stopper.mu"};
  std::atomic<int> draining{0};        // the bug's flag, read without the lock
  gridlock::wait_group drain{"drain"}; // the bug's task count
  bool draining_locked = false;        // the fix's flag, under mu
  int num_tasks = 0;                   // the fix's task count, under mu
  gridlock::condition_variable drain_cv{"drain"};
  rendezvous r;

  gridlock::receiver<int> &should_stop() { return stopper_ch.second; }

  bool start_task() {
    if (fixed) {
      r.checked.first.send(1);
      r.may_lock.second.recv();
      gridlock::lock_guard g(mu);
      if (draining_locked) return false;
      ++num_tasks;
      return true;
    }
    if (draining.load() == 0) {
      r.checked.first.send(1);
      r.may_lock.second.recv();
      gridlock::lock_guard g(mu); // EXPECT: worker0 | mutex lock | Stopper.mu
      drain.add(1);
      return true;
    }
    return false;
  }

  void finish_task() {
    if (!fixed) {
      drain.done();
      return;
    }
    gridlock::lock_guard g(mu);
    --num_tasks;
    drain_cv.notify_all();
  }

  void quiesce() {
    std::unique_lock lk(mu);
    if (fixed) {
      draining_locked = true;
      while (num_tasks > 0) drain_cv.wait(lk);
      return;
    }
    draining.store(1);
    drain.wait();
    draining.store(0);
  }

  void stop_all() {
    if (fixed) {
      quiesce();
      stopper_ch.first.close();
      r.may_lock.first.send(1);
      stop.wait();
      gridlock::lock_guard g(mu); // (the closers run under the lock)
      return;
    }
    gridlock::lock_guard g(mu);
    draining.store(1);
    drain.wait();
    stopper_ch.first.close();
    r.may_lock.first.send(1);
    stop.wait(); // EXPECT: Stop | wait_group wait | stop
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  std::vector<std::unique_ptr<stopper>> stoppers;
  for (int i = 0; i < 3; ++i) stoppers.push_back(std::make_unique<stopper>());

  for (std::size_t i = 0; i < stoppers.size(); ++i) {
    stopper &s = *stoppers[i];
    // AddWorker(); go func() { ...; SetStopped() }(): the wait group's go().
    s.stop.go("worker" + std::to_string(i), [&s] {
      if (s.start_task()) s.finish_task(); // (the kernel leaves FinishTask out)
      s.should_stop().recv();
    });
  }

  auto [done_tx, done_rx] = gridlock::make_channel<int>(0, "done");
  gridlock::thread stop_thread(
      "Stop",
      [&stoppers](gridlock::sender<int> done) {
        for (auto &s : stoppers) {
          s->r.checked.second.recv(); // its worker has read the draining flag
          s->quiesce();
        }
        for (auto &s : stoppers) s->stop_all();
        done.close();
      },
      std::move(done_tx));

  done_rx.recv(); // EXPECT: main | chan receive | done
  return 0;
}
