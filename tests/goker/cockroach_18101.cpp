// GoKer cockroach#18101: restore() starts splitAndScatter, which produces 8 spans into a channel of
// capacity 6 without looking at the context, and consumes them itself, returning as soon as the
// context is cancelled. Once restore has returned, nobody receives any more: the producer fills
// the buffer and blocks on its next send forever (in Go the test returns and the goroutine leaks;
// here main waits for the goroutines at the end, where Go's leak check would look). Fix (upstream):
// the producer's send is a select that also returns when the context is done.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: splitAndScatter
#include <gridlock/gridlock.hpp>

#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

constexpr int chan_size = 6;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

void split_and_scatter(const gridlock::context &ctx, gridlock::sender<bool> &ready_for_import_ch) {
  for (int i = 0; i < chan_size + 2; ++i) {
    const bool span = i != 0;
    if (!fixed) {
      ready_for_import_ch.send(span); // EXPECT: splitAndScatter | chan send | readyForImportCh
      continue;
    }
    bool cancelled = false; // the fix: the send gives up when the context is done
    gridlock::select sel;
    sel.send(ready_for_import_ch, span, [] {});
    sel.recv(ctx.done(), [&](std::optional<std::monostate>) { cancelled = true; });
    sel.wait();
    if (cancelled) return;
  }
}

bool restore(const gridlock::context &ctx) {
  auto [ready_tx, ready_rx] = gridlock::make_channel<bool>(chan_size, "readyForImportCh");
  // The goroutine's closure captures the channel itself (both directions, as a Go chan), and
  // closes it when splitAndScatter returns.
  goroutines.go(
      "splitAndScatter",
      [](gridlock::context ctx, gridlock::sender<bool> ch, gridlock::receiver<bool> same_ch) {
        (void)same_ch;
        split_and_scatter(ctx, ch);
        ch.close();
      },
      ctx, std::move(ready_tx), ready_rx);
  while (std::optional<bool> ready_for_import_span = ready_rx.recv()) {
    ctx.done().recv(); // a select whose only case is <-ctx.Done()
    return *ready_for_import_span;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  auto [ctx, cancel] = gridlock::with_cancel(gridlock::background(), "ctx");
  goroutines.go("restore", restore, ctx);
  goroutines.go(
      "cancel", [](gridlock::cancel_func c) { c(); }, cancel);
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
