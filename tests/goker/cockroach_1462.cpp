// GoKer cockroach#1462: the local transport's worker checks the stopper without blocking, then
// sends an event on an unbuffered channel with a plain send. If Stop() closes the stopper in
// between, the event processor leaves through its stopper case and the send never completes, while
// Stop() waits for every worker in its wait group. Fix (upstream): the event is sent as a stopper
// task (StartTask/FinishTask), so Stop() drains it before it closes the stopper - the processor is
// still receiving - and refuses new tasks afterwards.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main start
#include <gridlock/gridlock.hpp>

#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving: the test stops the stopper once the transport worker has passed its
// stopper check, and the worker sends only once the stopper no longer needs the processor to
// stop - the processor has left (buggy), or Quiesce waits for the worker's task (fixed).
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> checked =
      gridlock::make_channel<int>(1, "transport-checked");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> may_send =
      gridlock::make_channel<int>(1, "transport-may-send");
  void let_send() {
    int v = 1;
    may_send.first.try_send(v);
  }
};

bool closed(gridlock::receiver<int> &rx) {
  gridlock::select sel;
  sel.recv(rx, [](std::optional<int>) {});
  return sel.try_select(); // only ever closed, never sent to
}

struct stopper {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> stopper_ch =
      gridlock::make_channel<int>(0, "stopper");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> stopped =
      gridlock::make_channel<int>(0, "stopped");
  gridlock::wait_group stop{"stop"};
  gridlock::mutex mu{"Stopper.mu"};
  gridlock::condition_variable drain{"drain"};
  bool draining = false;
  int num_tasks = 0;
  rendezvous &r;
  explicit stopper(rendezvous &rv) : r(rv) {}

  // AddWorker + go func() { defer SetStopped(); f() }()
  template <class F> void run_worker(const char *name, F f) { stop.go(name, std::move(f)); }

  bool start_task() {
    gridlock::lock_guard g(mu);
    if (draining) return false;
    ++num_tasks;
    return true;
  }

  void finish_task() {
    gridlock::lock_guard g(mu);
    --num_tasks;
    drain.notify_all();
  }

  gridlock::receiver<int> &should_stop() { return stopper_ch.second; }

  void quiesce() {
    std::unique_lock lk(mu);
    draining = true;
    while (num_tasks > 0) {
      r.let_send(); // the task this waits for may go on
      drain.wait(lk);
    }
  }

  void stop_all() {
    quiesce();
    stopper_ch.first.close();
    stop.wait(); // EXPECT: main | wait_group wait | stop
    gridlock::lock_guard g(mu);
    stopped.first.close();
  }
};

struct intercept_message {
  int n = 0;
};

struct local_interceptable_transport {
  gridlock::mutex mu{"localInterceptableTransport.mu"};
  std::pair<gridlock::sender<intercept_message>, gridlock::receiver<intercept_message>> events =
      gridlock::make_channel<intercept_message>(0, "Events");
  stopper &s;
  rendezvous &r;
  local_interceptable_transport(stopper &st, rendezvous &rv) : s(st), r(rv) {}

  void send_event() {
    r.checked.first.send(1);
    r.may_send.second.recv();
    events.first.send(intercept_message{}); // EXPECT: start | chan send | Events
  }

  void start() {
    s.run_worker("start", [this] {
      for (;;) {
        if (closed(s.should_stop())) return;
        // default:
        if (!fixed) {
          send_event(); // the bug: not covered by the stopper
        } else if (s.start_task()) {
          send_event(); // the fix: Stop() drains the task before it closes the stopper
          s.finish_task();
        }
      }
    });
  }
};

void process_events_until(gridlock::receiver<intercept_message> ch, stopper &s, rendezvous &r) {
  for (;;) {
    bool done = false;
    gridlock::select sel;
    sel.recv(ch, [&](std::optional<intercept_message> m) { done = !m; });
    sel.recv(s.should_stop(), [&](std::optional<int>) { done = true; });
    sel.wait();
    if (done) break;
  }
  r.let_send();
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  stopper s(r);
  local_interceptable_transport transport(s, r);
  transport.start();
  s.run_worker("processEventsUntil",
               [&s, &r, ch = transport.events.second] { process_events_until(ch, s, r); });
  r.checked.second.recv(); // the transport worker is past its stopper check
  s.stop_all();
  return 0;
}
