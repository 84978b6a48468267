// GoKer cockroach#13197: begin() derives a cancellable context for a new transaction and starts
// awaitDone, which waits until that context is done. The caller drops the transaction without
// committing or rolling it back, so nobody calls its cancel function and awaitDone waits forever
// (in Go the test returns and the goroutine leaks; here main waits for it at the end, where Go's
// leak check would look). Fix (upstream): the transaction is always finished: Rollback closes it,
// and closing cancels its context.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <memory>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

struct tx {
  gridlock::cancel_func cancel;
  gridlock::context ctx;

  void await_done() {
    ctx.done().recv(); // EXPECT: awaitDone | chan receive | Tx.ctx
  }

  void rollback() { close(); } // Rollback, through rollback
  void close() { cancel(); }
};

struct db {
  std::shared_ptr<tx> begin(const gridlock::context &parent) {
    auto [ctx, cancel] = gridlock::with_cancel(parent, "Tx.ctx");
    auto t = std::make_shared<tx>(tx{cancel, ctx});
    goroutines.go("awaitDone", &tx::await_done, t);
    return t;
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  db d;
  if (fixed) {
    auto t = d.begin(gridlock::background());
    t->rollback(); // the fix: the transaction is finished, its context cancelled
  } else {
    d.begin(gridlock::background()); // the bug: the transaction is dropped unfinished
  }
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
