// GoKer kubernetes#25331: the etcd3 watcher's run() waits for an error or for its context to be
// done. Stop() sends an error and then cancels the context. run() takes the error, cancels the
// context itself and then sends the error result on resultChan with a plain send, which nobody
// reads: the cancellation that Stop() relies on comes too early to help, and run() waits forever
// (in Go the test returns and the goroutine leaks; here main waits for the goroutines at the end,
// where Go's leak check would look). Fix (upstream): the result is sent in a select that also
// gives up when the context is done, and run() cancels only after it.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main run
#include <gridlock/gridlock.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

struct watch_chan {
  gridlock::context ctx;
  gridlock::cancel_func cancel;
  std::pair<gridlock::sender<bool>, gridlock::receiver<bool>> result_chan =
      gridlock::make_channel<bool>(0, "resultChan");
  std::pair<gridlock::sender<std::string>, gridlock::receiver<std::string>> err_chan =
      gridlock::make_channel<std::string>(0, "errChan");

  explicit watch_chan(std::pair<gridlock::context, gridlock::cancel_func> c)
      : ctx(std::move(c.first)), cancel(std::move(c.second)) {}

  void stop() {
    err_chan.first.send("Error");
    cancel();
  }

  void run() {
    std::optional<std::string> err;
    gridlock::select sel;
    sel.recv(err_chan.second, [&](std::optional<std::string> e) { err = std::move(e); });
    sel.recv(ctx.done(), [](std::optional<std::monostate>) {});
    sel.wait();
    if (!err) return; // the context is done
    const bool err_result = !err->empty();
    if (!fixed) {
      cancel();
      result_chan.first.send(err_result); // EXPECT: run | chan send | resultChan
      return;
    }
    gridlock::select result; // the fix: the user may have given up on the results
    result.send(result_chan.first, err_result, [] {});
    result.recv(ctx.done(), [](std::optional<std::monostate>) {});
    result.wait();
    cancel();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  watch_chan wc(gridlock::with_cancel(gridlock::background(), "watchChan.ctx"));
  goroutines.go("run", [&wc] { wc.run(); });
  goroutines.go("Stop", [&wc] { wc.stop(); });
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
