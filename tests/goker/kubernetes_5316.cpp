// GoKer kubernetes#5316: finishRequest runs the request's function in a goroutine that reports
// its outcome on one of two unbuffered channels, and waits for either outcome or a timeout. The
// function outlasts the timeout, so finishRequest returns through the timer's case, and the
// goroutine's send has no receiver any more: it waits forever (in Go the test returns and the
// goroutine leaks; here main waits for the goroutines at the end, where Go's leak check would
// look). Fix (upstream): both channels have capacity 1, so the late outcome is simply dropped.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: finishRequest.func1
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

// The request's function works until finishRequest has given up on it: the kernel sleeps 2ms
// against a 1ms timeout; here the order is certain.
std::pair<gridlock::sender<int>, gridlock::receiver<int>> request_returned =
    gridlock::make_channel<int>(1, "finishRequest-returned");

using error = std::optional<std::string>;

void finish_request(std::chrono::nanoseconds timeout, std::function<error()> fn) {
  const std::size_t cap = fixed ? 1 : 0; // the fix: capacity 1, the late outcome is dropped
  auto [ch_tx, ch_rx] = gridlock::make_channel<bool>(cap, "ch");
  auto [err_tx, err_rx] = gridlock::make_channel<std::string>(cap, "errCh");
  // The goroutine's closure captures both channels (a Go chan has both directions).
  goroutines.go(
      "finishRequest.func1",
      [fn](gridlock::sender<bool> ch, gridlock::receiver<bool> ch_too,
           gridlock::sender<std::string> err_ch, gridlock::receiver<std::string> err_ch_too) {
        (void)ch_too;
        (void)err_ch_too;
        if (error err = fn())
          err_ch.send(*err);
        else
          ch.send(true); // EXPECT: finishRequest.func1 | chan send | ch
      },
      std::move(ch_tx), ch_rx, std::move(err_tx), err_rx);

  gridlock::select sel;
  sel.recv(ch_rx, [](std::optional<bool>) {});
  sel.recv(err_rx, [](std::optional<std::string>) {});
  sel.recv(gridlock::after(timeout), [](std::optional<gridlock::time_point>) {});
  sel.wait();
  request_returned.first.send(1);
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  // The kernel fails the request at random; this run takes the success path.
  std::function<error()> fn = []() -> error {
    request_returned.second.recv();
    return std::nullopt;
  };
  goroutines.go("finishRequest", finish_request, std::chrono::milliseconds(1), fn);
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
