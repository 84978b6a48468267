// GoKer cockroach#13755: initContextClose derives a cancellable context for the query's rows and
// starts awaitDone, which waits until that context is done and then closes the rows. Nobody
// closes the rows (and close() does not cancel the context anyway), so awaitDone waits forever
// (in Go the test returns and the goroutine leaks; here main waits for it at the end, where Go's
// leak check would look). Fix (upstream): Rows.close cancels the context, and the rows are closed
// after use.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

struct rows {
  std::optional<gridlock::cancel_func> cancel; // nil until initContextClose

  void init_context_close(const gridlock::context &parent) {
    auto [ctx, c] = gridlock::with_cancel(parent, "Rows.ctx");
    cancel.emplace(c);
    goroutines.go(
        "awaitDone", [this](gridlock::context ctx) { await_done(ctx); }, ctx);
  }

  void await_done(const gridlock::context &ctx) {
    ctx.done().recv(); // EXPECT: awaitDone | chan receive | Rows.ctx
    close(ctx.err());
  }

  void close(gridlock::context_error err = gridlock::context_error::none) {
    (void)err;
    if (fixed) (*cancel)(); // the fix: closing the rows cancels their context
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  auto rs = std::make_shared<rows>();
  rs->init_context_close(gridlock::background());
  if (fixed) rs->close(); // the fix: the rows are closed after use
  goroutines.wait();      // EXPECT: main | wait_group wait | goroutines
  return 0;
}
