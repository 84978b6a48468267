// GoKer kubernetes#70277: WaitFor hands the caller's done channel to the poller, whose goroutine
// ticks into a channel until its timeout or until done is closed, and returns as soon as the
// condition holds - without stopping the poller. The test keeps the done channel the poller was
// given and waits for it to be closed; but that channel is the test's own stopCh, closed only by
// the test's deferred close: the test waits for itself (the poller ticks on until its 20s timeout,
// unable to help). Fix (upstream): WaitFor passes the poller a stop channel of its own, closes it
// (once) when it returns or when the caller's done is closed, and selects on both.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace {

bool fixed = false;

using signal = gridlock::receiver<std::monostate>; // a channel that is only ever closed

const auto forever_test_timeout = std::chrono::seconds(20);

using wait_func = std::function<signal(signal done)>;
using condition_func = std::function<std::pair<bool, std::optional<std::string>>()>;

// Returns an error message, or nullopt.
std::optional<std::string> wait_for(const wait_func &wait, const condition_func &fn, signal done) {
  if (!fixed) {
    signal c = wait(done);
    for (;;) {
      const bool open = c.recv().has_value();
      auto [ok, err] = fn();
      if (err) return err;
      if (ok) return std::nullopt;
      if (!open) break;
    }
    return std::string("timed out waiting for the condition");
  }
  // The fix: the poller gets a stop channel of WaitFor's own, closed once on every way out.
  auto [stop_tx, stop_rx] = gridlock::make_channel<std::monostate>(0, "WaitFor.stopCh");
  gridlock::once_flag once("WaitFor.once");
  auto close_ch = [&] { gridlock::call_once(once, [&] { stop_tx.close(); }); };
  struct deferred {
    std::function<void()> f;
    ~deferred() { f(); }
  } defer_close{close_ch};
  signal c = wait(stop_rx);
  for (;;) {
    enum { got_tick, got_done } which = got_tick;
    bool open = true;
    gridlock::select sel;
    sel.recv(c, [&](std::optional<std::monostate> v) { open = v.has_value(); });
    sel.recv(done, [&](std::optional<std::monostate>) { which = got_done; });
    sel.wait();
    if (which == got_done) {
      close_ch();
      continue;
    }
    auto [ok, err] = fn();
    if (err) return err;
    if (ok) return std::nullopt;
    if (!open) return std::string("timed out waiting for the condition");
  }
}

wait_func poller(std::chrono::nanoseconds interval, std::chrono::nanoseconds timeout) {
  return [interval, timeout](signal done) -> signal {
    auto [ch_tx, ch_rx] = gridlock::make_channel<std::monostate>(0, "ch");
    // The goroutine's closure captures ch (a Go chan has both directions) and done.
    gridlock::thread(
        "poller.func1.1",
        [interval, timeout](gridlock::sender<std::monostate> ch, signal ch_too, signal done) {
          (void)ch_too;
          gridlock::ticker tick(interval, "tick");
          std::optional<gridlock::timer> timer;
          if (timeout != timeout.zero()) timer.emplace(timeout, "timer");
          for (;;) {
            enum { ticked, timed_out, stopped } which = ticked;
            gridlock::select sel;
            sel.recv(tick.channel(), [&](std::optional<gridlock::time_point>) { which = ticked; });
            if (timer)
              sel.recv(timer->channel(),
                       [&](std::optional<gridlock::time_point>) { which = timed_out; });
            sel.recv(done, [&](std::optional<std::monostate>) { which = stopped; });
            sel.wait();
            if (which != ticked) break;
            gridlock::select offer;
            offer.send(ch, std::monostate{}, [] {});
            offer.try_select();
          }
          if (timer) timer->stop(); // deferred
          tick.stop();              // deferred
          ch.close();               // deferred
        },
        std::move(ch_tx), ch_rx, std::move(done))
        .detach();
    return ch_rx;
  };
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  auto [stop_tx, stop_rx] = gridlock::make_channel<std::monostate>(0, "stopCh");
  wait_func wait = poller(std::chrono::milliseconds(1), forever_test_timeout);
  signal done_ch;

  wait_for(
      [&](signal done) {
        done_ch = done;
        return wait(std::move(done));
      },
      [] { return std::pair<bool, std::optional<std::string>>(true, std::nullopt); }, stop_rx);

  done_ch.recv();  // EXPECT: main | chan receive | stopCh
  stop_tx.close(); // deferred
  return 0;
}
