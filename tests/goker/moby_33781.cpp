// GoKer moby#33781: the health monitor starts a probe on every interval; the probe reports on an
// unbuffered results channel, and the monitor waits for the result, the probe's timeout, or a
// stop request. When the stop request wins, the monitor cancels the probe and returns without
// taking its result, so the probe's send waits forever (in Go the test returns and the goroutine
// leaks; here main waits for the goroutines at the end, where Go's leak check would look). Fix
// (upstream): on stop, the monitor cancels the probe and then waits for its result.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: monitor.func1
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the stop request
// arrives while the monitor waits for its first probe, and the probe answers only after the
// monitor has taken the stop request.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> probing =
      gridlock::make_channel<int>(1, "monitor-probing");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> stop_taken =
      gridlock::make_channel<int>(1, "monitor-stop-taken");
};

void monitor(gridlock::receiver<bool> stop, rendezvous &r) {
  const auto probe_interval = std::chrono::nanoseconds(50);
  // The kernel's probe timeout is 50ns, which lets the timeout win the race as often as the stop
  // request; here it outlasts the test, so the stop request is the only case that can win.
  const auto probe_timeout = std::chrono::seconds(30);
  for (;;) {
    bool stopped = false;
    gridlock::select outer;
    outer.recv(stop, [&](std::optional<bool>) { stopped = true; });
    outer.recv(gridlock::after(probe_interval), [](std::optional<gridlock::time_point>) {});
    outer.wait();
    if (stopped) return;

    auto [results_tx, results_rx] = gridlock::make_channel<bool>(0, "results");
    auto [ctx, cancel_probe] =
        gridlock::with_timeout(gridlock::background(), probe_timeout, "probe-ctx");
    // The goroutine's closure captures the results channel (a Go chan has both directions).
    goroutines.go(
        "monitor.func1",
        [&r](gridlock::sender<bool> results, gridlock::receiver<bool> results_too) {
          (void)results_too;
          r.stop_taken.second.recv();
          results.send(true); // EXPECT: monitor.func1 | chan send | results
          results.close();
        },
        std::move(results_tx), results_rx);

    enum { on_stop, on_result, on_timeout } which = on_stop;
    r.probing.first.send(1);
    gridlock::select inner;
    inner.recv(stop, [&](std::optional<bool>) { which = on_stop; });
    inner.recv(results_rx, [&](std::optional<bool>) { which = on_result; });
    inner.recv(ctx.done(), [&](std::optional<std::monostate>) { which = on_timeout; });
    inner.wait();
    switch (which) {
    case on_stop:
      r.stop_taken.first.send(1);
      cancel_probe();
      if (fixed) results_rx.recv(); // the fix: wait for the cancelled probe
      return;
    case on_result: cancel_probe(); break;
    case on_timeout:
      cancel_probe();
      results_rx.recv();
      break;
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  auto [stop_tx, stop_rx] = gridlock::make_channel<bool>(0, "stop");
  goroutines.go(
      "monitor", [&r](gridlock::receiver<bool> stop) { monitor(std::move(stop), r); },
      std::move(stop_rx));
  goroutines.go(
      "TestMoby33781.func1",
      [&r](gridlock::sender<bool> stop) {
        r.probing.second.recv(); // the kernel sleeps 50ns here
        stop.send(true);
      },
      std::move(stop_tx));
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
