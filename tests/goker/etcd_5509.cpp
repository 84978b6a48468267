// GoKer etcd#5509: acquire() read-locks the client and, when it finds the client closed, returns
// ErrConnClosed without releasing the read lock. Close() has just released the client's lock
// (after clearing cancel) and takes it again; the getter saw the closed client in between and
// returned holding its read lock, so Close's lock waits forever for a reader that has exited.
// Fix (upstream): acquire releases the read lock before it reports the closed connection.
// (The client's context is cancelled but nobody waits on it: a plain struct here. No cycle: the
// only holder of the read lock has exited.)
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <functional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

struct token {};

// context.Context, reduced to what the kernel uses: nothing waits for its cancellation.
struct context {
  bool cancelled = false;
};
using cancel_func = std::function<void()>;

enum class error { none, conn_closed };

// Forces the window the bug needs: Close takes its lock again only once the getter has seen the
// closed client and is returning.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> saw_closed =
      gridlock::make_channel<int>(1, "getter-saw-closed");
};
rendezvous *steps = nullptr;

struct client {
  gridlock::shared_mutex mu{"Client.mu"};
  context *ctx = nullptr;
  cancel_func cancel; // empty once closed

  void close() {
    mu.lock();
    if (!cancel) {
      mu.unlock();
      return;
    }
    cancel();
    cancel = nullptr;
    mu.unlock();
    steps->saw_closed.second.recv();
    mu.lock();   // EXPECT: main | write lock | Client.mu
    mu.unlock(); // Go: the deferred Unlock
  }
};

struct remote_client {
  client *cl;
  gridlock::mutex mu{"remoteClient.mu"};
  explicit remote_client(client *c) : cl(c) {}

  error acquire(context &) {
    for (;;) {
      cl->mu.lock_shared();
      const bool closed = !cl->cancel;
      mu.lock();
      mu.unlock();
      if (fixed) cl->mu.unlock_shared(); // the fix: released before the closed check
      if (closed) {
        steps->saw_closed.first.send(1);
        return error::conn_closed; // the bug: still read-locked
      }
      if (!fixed) cl->mu.unlock_shared();
    }
  }
};

struct kv {
  remote_client rc;
  explicit kv(client *c) : rc(c) {}
  error get(context &ctx) { return do_request(ctx); }
  error do_request(context &ctx) { return do_once(ctx); }
  error do_once(context &ctx) { return get_remote(ctx); }
  error get_remote(context &ctx) { return rc.acquire(ctx); }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  steps = &r;
  context ctx;
  client cli;
  cli.ctx = &ctx;
  cli.cancel = [&ctx] { ctx.cancelled = true; };
  kv store(&cli);
  auto [donec_tx, donec_rx] = gridlock::make_channel<token>(0, "donec");
  gridlock::thread getter(
      "Get",
      [&store](gridlock::sender<token> donec) {
        context todo;
        store.get(todo); // ErrConnClosed is what the test expects
        donec.close();
      },
      donec_tx);

  cli.close();

  donec_rx.recv();
  return 0;
}
