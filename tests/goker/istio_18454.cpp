// GoKer istio#18454: the status strategy's event loop serves a timer and a reset channel. On a
// reset it stops the timer and, when Stop() says the timer had already fired, drains its channel
// with a plain receive. But the loop's own timer case has taken that value already: the receive
// waits forever. The processor's worker then fills the reset channel (capacity 1) and blocks in
// its next send, where the cancellation of its context cannot reach it (in Go the test returns and
// both goroutines leak; here main stops the processor and waits for the goroutines at the end,
// where Go's leak check would look). Fix (upstream): the drain is a select with a default case.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the event loop
// takes the timer's first tick before the first reset arrives, and the processor is inside its
// fourth event (the third reset) before the test stops it.
std::pair<gridlock::sender<int>, gridlock::receiver<int>> tick_consumed =
    gridlock::make_channel<int>(1, "tick-consumed");
std::pair<gridlock::sender<int>, gridlock::receiver<int>> fourth_event =
    gridlock::make_channel<int>(1, "fourth-event");

struct worker {
  gridlock::context ctx;
  gridlock::cancel_func ctx_cancel;

  explicit worker(std::pair<gridlock::context, gridlock::cancel_func> c)
      : ctx(std::move(c.first)), ctx_cancel(std::move(c.second)) {}

  void start(const std::function<void()> &setup_fn, const char *name,
             std::function<void(const gridlock::context &)> run_fn) {
    if (setup_fn) setup_fn();
    goroutines.go(name, [this, run_fn] { run_fn(ctx); });
  }

  void stop() { ctx_cancel(); }
};

std::unique_ptr<worker> new_worker(const char *name) {
  return std::make_unique<worker>(gridlock::with_cancel(gridlock::background(), name));
}

struct strategy {
  std::optional<gridlock::timer> timer;
  std::chrono::nanoseconds timer_frequency{1};
  gridlock::mutex state_lock{"Strategy.stateLock"};
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> reset_chan =
      gridlock::make_channel<int>(1, "resetChan");
  std::unique_ptr<worker> w = new_worker("Strategy.worker.ctx");
  std::function<void()> start_timer_fn;

  void on_change() {
    state_lock.lock();
    if (timer) {
      state_lock.unlock();
      reset_chan.first.send(1); // EXPECT: runFn | chan send | resetChan
      return;
    }
    start_timer_fn();
    state_lock.unlock();
  }

  void start_timer() {
    timer.emplace(timer_frequency, "Strategy.timer");
    auto event_loop = [this](const gridlock::context &ctx) {
      bool first_tick = true;
      for (;;) {
        enum { tick, reset, done } which = tick;
        gridlock::select sel;
        sel.recv(timer->channel(), [&](std::optional<gridlock::time_point>) { which = tick; });
        sel.recv(reset_chan.second, [&](std::optional<int>) { which = reset; });
        sel.recv(ctx.done(), [&](std::optional<std::monostate>) { which = done; });
        sel.wait();
        switch (which) {
        case tick:
          if (std::exchange(first_tick, false)) tick_consumed.first.send(1);
          break;
        case reset:
          if (!timer->stop()) {
            if (!fixed) {
              timer->channel().recv(); // EXPECT: eventLoop | chan receive | Strategy.timer
            } else {
              gridlock::select drain; // the fix: drain only what is there
              drain.recv(timer->channel(), [](std::optional<gridlock::time_point>) {});
              drain.try_select();
            }
          }
          timer->reset(timer_frequency);
          break;
        case done: timer->stop(); return;
        }
      }
    };
    w->start(nullptr, "eventLoop", event_loop);
  }

  void close() { w->stop(); }
};

using event = int;

struct processor {
  strategy *state_strategy;
  std::unique_ptr<worker> w = new_worker("Processor.worker.ctx");
  std::pair<gridlock::sender<event>, gridlock::receiver<event>> event_ch =
      gridlock::make_channel<event>(1024, "eventCh");

  explicit processor(strategy *s) : state_strategy(s) {}

  void process_event() { state_strategy->on_change(); }

  void start() {
    auto setup_fn = [this] {
      for (int i = 0; i < 1024; ++i) event_ch.first.send(0);
    };
    auto run_fn = [this](const gridlock::context &ctx) {
      int events = 0;
      for (;;) {
        bool done = false;
        gridlock::select sel;
        sel.recv(ctx.done(), [&](std::optional<std::monostate>) { done = true; });
        sel.recv(event_ch.second, [](std::optional<event>) {});
        sel.wait();
        if (done) break;
        ++events;
        if (events == 2) tick_consumed.second.recv(); // before the first reset
        if (events == 4) fourth_event.first.send(1);
        process_event();
      }
      state_strategy->close(); // deferred
    };
    w->start(setup_fn, "runFn", run_fn);
  }

  void stop() { w->stop(); }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  strategy state_strategy;
  state_strategy.start_timer_fn = [&state_strategy] { state_strategy.start_timer(); };
  processor p(&state_strategy);
  p.start();
  fourth_event.second.recv();
  p.stop();          // deferred
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
