// GoKer istio#17860: the agent's Restart holds the agent's mutex for its whole run, including
// waitUntilLive, which waits (polling on a ticker, up to a timeout) for the current epoch's proxy
// to go live. When that proxy exits instead, Run takes its exit status and blocks on the same
// mutex: the exit cannot be processed, and the wait goes on although the epoch is gone. The test
// returns with Run blocked on the mutex and Restart still waiting (Go's leak check finds them; here
// they are reported as still blocked when the program exits). Fix (upstream): Restart registers the
// new epoch under the mutex and releases it before waiting (a separate restart mutex keeps restarts
// one at a time), and the wait ends as soon as the epoch it waits for is no longer active.
//
// GOKER-FINDING: leak definite
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (the real test's "exit during wait for live"): the first
// epoch's proxy exits only once the second Restart waits for it to go live.
std::pair<gridlock::sender<int>, gridlock::receiver<int>> waiting_for_live =
    gridlock::make_channel<int>(1, "waiting-for-live");

using exit_status = int;

struct test_proxy {
  std::function<bool()> live;
  bool is_live() const { return !live || live(); }
};

struct agent {
  explicit agent(test_proxy p) : proxy(std::move(p)) {}

  test_proxy proxy;
  gridlock::mutex mu{"agent.mu"};
  gridlock::mutex restart_mutex{"agent.restartMutex"}; // the fix
  std::pair<gridlock::sender<exit_status>, gridlock::receiver<exit_status>> status_ch =
      gridlock::make_channel<exit_status>(0, "statusCh");
  int current_epoch = 0;
  std::map<int, bool> active_epochs;

  void run(gridlock::receiver<exit_status> status_rx, const gridlock::context &ctx) {
    for (;;) {
      std::optional<exit_status> status;
      bool done = false;
      gridlock::select sel;
      sel.recv(status_rx, [&](std::optional<exit_status> s) { status = s; });
      sel.recv(ctx.done(), [&](std::optional<std::monostate>) { done = true; });
      sel.wait();
      if (done) return;
      mu.lock(); // EXPECT: Run | mutex lock | agent.mu
      active_epochs.erase(*status);
      const std::size_t active = active_epochs.size();
      mu.unlock();
      if (active == 0) return;
    }
  }

  void restart() {
    if (!fixed) {
      gridlock::lock_guard g(mu); // the bug: held while waiting for the proxy
      wait_until_live(current_epoch);
      ++current_epoch;
      active_epochs[current_epoch] = true;
      start_run_wait(current_epoch);
      return;
    }
    gridlock::lock_guard r(restart_mutex);
    mu.lock();
    const bool has_active_epoch = !active_epochs.empty();
    const int active_epoch = current_epoch;
    const int epoch = ++current_epoch;
    active_epochs[epoch] = true;
    mu.unlock();
    if (has_active_epoch) wait_until_live(active_epoch);
    start_run_wait(epoch);
  }

  void start_run_wait(int epoch) {
    gridlock::thread("runWait", &agent::run_wait, this, epoch, status_ch.first).detach();
  }

  void run_wait(int epoch, gridlock::sender<exit_status> status_tx) {
    if (epoch == 1) waiting_for_live.second.recv();
    status_tx.send(epoch);
  }

  bool is_active(int epoch) {
    gridlock::lock_guard g(mu);
    return active_epochs.count(epoch) != 0;
  }

  // The buggy version is called with the mutex held and reads the map directly.
  void wait_until_live(int epoch) {
    if (!fixed && active_epochs.empty()) return;
    auto is_done = [&] { return (fixed && !is_active(epoch)) || proxy.is_live(); };
    // The kernel polls every 30ns for at most 100ns, and the test sleeps 200ns, so any order
    // happens; here, as upstream (a 20s timeout), the timeout outlasts the test.
    gridlock::ticker interval(std::chrono::milliseconds(1), "interval");
    gridlock::timer timer(std::chrono::seconds(20), "timer");
    if (!is_done()) {
      waiting_for_live.first.send(1);
      for (bool waiting = true; waiting;) {
        gridlock::select sel;
        sel.recv(timer.channel(), [&](std::optional<gridlock::time_point>) { waiting = false; });
        sel.recv(interval.channel(), [&](std::optional<gridlock::time_point>) {
          if (is_done()) waiting = false;
        });
        sel.wait();
      }
    }
    interval.stop(); // deferred
    timer.stop();    // deferred
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  auto [ctx, cancel] = gridlock::with_cancel(gridlock::background(), "ctx");

  // NewAgent: goroutines still use the agent when the test returns (Go's GC keeps it alive).
  agent *a = new agent(test_proxy{[] { return false; }});
  gridlock::thread(
      "Run",
      [a](gridlock::receiver<exit_status> rx, gridlock::context c) { a->run(std::move(rx), c); },
      a->status_ch.second, ctx)
      .detach();

  a->restart();
  gridlock::thread("Restart", [a] { a->restart(); }).detach();

  // The test's 200ns sleep, long enough here for the fixed agent to run both epochs to the end.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  cancel(); // deferred
  return 0;
}
