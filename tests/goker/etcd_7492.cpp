// GoKer etcd#7492: assignSimpleTokenToUser holds the token lock while it posts the new token to the
// TTL keeper's channel (capacity 1). The keeper's loop, on a tick, expires its tokens through a
// callback that takes the same lock. When one authenticator's token fills the channel while the
// keeper is in its tick branch, the next authenticator blocks in its send with the lock held, and
// the keeper - the only receiver - blocks on that lock; the test waits for the authenticators
// forever. Fix (upstream): tokens no longer go through the channel under the lock: the keeper gets
// a mutex of its own, which assignSimpleTokenToUser takes before the token lock to add the token
// directly, and which the tick branch holds while it expires tokens (one lock order).
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: run TestEtcd7492.func1
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace {

bool fixed = false;

using token_time = std::chrono::steady_clock::time_point;
template <class T> using chan = std::pair<gridlock::sender<T>, gridlock::receiver<T>>;

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the first
// authenticator's token is in the keeper's map; the keeper is in its tick branch when the second
// authenticator adds its token and the third takes the token lock; only then does the keeper call
// the delete callback.
struct rendezvous {
  chan<int> keeper_ticking = gridlock::make_channel<int>(1, "keeper-ticking");
  chan<int> second_done = gridlock::make_channel<int>(1, "second-done");
  chan<int> third_holds_lock = gridlock::make_channel<int>(1, "third-holds-lock");
  std::atomic<int> arrivals{0};
  std::atomic<bool> token_added{false};
  bool forced = false; // the keeper's
} r;

thread_local int arrival = 0; // which authenticator this goroutine is (1, 2, 3)

struct simple_token_ttl_keeper {
  std::map<std::string, token_time> tokens;
  gridlock::sender<int> add_simple_token_ch;
  gridlock::sender<gridlock::sender<std::monostate>> stop_ch;
  std::function<void(const std::string &)> delete_token_func;
  gridlock::mutex tokens_mu{"tokensMu"}; // the fix

  void run(gridlock::receiver<int> add_ch,
           gridlock::receiver<gridlock::sender<std::monostate>> stop) {
    // The kernel ticks every nanosecond; the order is forced, any period will do.
    gridlock::ticker token_ticker(std::chrono::milliseconds(1), "tokenTicker");
    for (;;) {
      enum { added, ticked, stopping } which = ticked;
      std::optional<gridlock::sender<std::monostate>> wait_ch;
      gridlock::select sel;
      if (!fixed) sel.recv(add_ch, [&](std::optional<int>) { which = added; });
      sel.recv(token_ticker.channel(),
               [&](std::optional<gridlock::time_point>) { which = ticked; });
      sel.recv(stop, [&](std::optional<gridlock::sender<std::monostate>> w) {
        which = stopping;
        wait_ch = std::move(w);
      });
      sel.wait();
      switch (which) {
      case added:
        tokens["1"] = std::chrono::steady_clock::now(); // a non-empty map is enough
        r.token_added = true;
        break;
      case ticked:
        if (r.token_added && !std::exchange(r.forced, true)) {
          r.keeper_ticking.first.send(1);
          r.third_holds_lock.second.recv();
        }
        if (fixed) tokens_mu.lock();
        for (auto it = tokens.begin(); it != tokens.end();) {
          delete_token_func(it->first);
          it = tokens.erase(it);
        }
        if (fixed) tokens_mu.unlock();
        break;
      case stopping:
        if (wait_ch) wait_ch->send(std::monostate{});
        token_ticker.stop(); // deferred
        return;
      }
    }
  }

  // Buggy: posts the token to the loop. Fixed: the caller holds tokens_mu.
  void add_simple_token() {
    if (!fixed) {
      add_simple_token_ch.send(1); // EXPECT: TestEtcd7492.func1 | chan send | addSimpleTokenCh
      return;
    }
    tokens["1"] = std::chrono::steady_clock::now();
    r.token_added = true;
  }

  void stop() {
    auto [wait_tx, wait_rx] = gridlock::make_channel<std::monostate>(0, "waitCh");
    stop_ch.send(wait_tx);
    wait_rx.recv();
    stop_ch.close();
  }
};

std::unique_ptr<simple_token_ttl_keeper>
new_simple_token_ttl_keeper(std::function<void(const std::string &)> delete_func) {
  auto stk = std::make_unique<simple_token_ttl_keeper>();
  auto [add_tx, add_rx] = gridlock::make_channel<int>(1, "addSimpleTokenCh");
  auto [stop_tx, stop_rx] = gridlock::make_channel<gridlock::sender<std::monostate>>(0, "stopCh");
  stk->add_simple_token_ch = std::move(add_tx);
  stk->stop_ch = std::move(stop_tx);
  stk->delete_token_func = std::move(delete_func);
  gridlock::thread("run", &simple_token_ttl_keeper::run, stk.get(), std::move(add_rx),
                   std::move(stop_rx))
      .detach();
  return stk;
}

struct token_simple {
  std::unique_ptr<simple_token_ttl_keeper> simple_token_keeper;
  gridlock::shared_mutex simple_tokens_mu{"simpleTokensMu"};

  void assign() { assign_simple_token_to_user(); }

  void assign_simple_token_to_user() {
    if (fixed) simple_token_keeper->tokens_mu.lock();
    simple_tokens_mu.lock();
    if (arrival == 3) r.third_holds_lock.first.send(1);
    simple_token_keeper->add_simple_token();
    simple_tokens_mu.unlock();
    if (fixed) simple_token_keeper->tokens_mu.unlock();
  }

  void enable() {
    simple_token_keeper = new_simple_token_ttl_keeper([this](const std::string &) {
      gridlock::lock_guard g(simple_tokens_mu); // EXPECT: run | write lock | simpleTokensMu
    });
  }

  void disable() {
    if (simple_token_keeper) {
      simple_token_keeper->stop();
      simple_token_keeper.reset();
    }
    simple_tokens_mu.lock();
    simple_tokens_mu.unlock();
  }
};

struct auth_store {
  std::unique_ptr<token_simple> token_provider = std::make_unique<token_simple>();
  void authenticate() { token_provider->assign(); }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  auth_store as; // setupAuthStore
  as.token_provider->enable();

  gridlock::wait_group wg("wg");
  for (int i = 0; i < 3; ++i)
    wg.go("TestEtcd7492.func1", [&as] {
      arrival = ++r.arrivals;
      if (arrival == 2) r.keeper_ticking.second.recv();
      if (arrival == 3) r.second_done.second.recv();
      as.authenticate();
      if (arrival == 2) r.second_done.first.send(1);
    });
  wg.wait(); // EXPECT: main | wait_group wait | wg

  as.token_provider->disable(); // deferred tearDown
  return 0;
}
