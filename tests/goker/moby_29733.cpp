// GoKer moby#29733: Handle() registers a new extension-point handler and, so that handlers run
// again on the next activation, marks every plugin as not activated. Nothing activates them again,
// so the next waitActive sleeps on the plugin's condition variable forever, and the test waits for
// it. (The kernel starts with a plugin that was never activated; here it is activated first, as
// upstream's test did, so the hang comes from Handle().) Fix (upstream): `activated` means that
// the activation sequence has finished, activation runs the handlers itself, and Handle() no longer
// clears the flag.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main waitActive
#include <gridlock/gridlock.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string_view>

namespace {

bool fixed = false;

struct plugin {
  bool activated = false;
  gridlock::mutex activate_mu{"activateWait.L"};
  gridlock::condition_variable activate_wait{"activateWait"};

  void activate() {
    {
      std::unique_lock lk(activate_mu);
      activated = true;
    }
    activate_wait.notify_all();
  }

  void wait_active() {
    std::unique_lock lk(activate_mu);
    while (!activated) activate_wait.wait(lk); // EXPECT: waitActive | condition wait | activateWait
  }
};

struct plugins {
  gridlock::mutex mu{"storage.mu"};
  std::map<int, plugin *> by_id;
};

struct extpoint_handlers {
  gridlock::shared_mutex mu{"handlers.mu"};
  std::map<int, int> handlers;
};

void handle(plugins &storage, extpoint_handlers &handlers) {
  gridlock::lock_guard<gridlock::shared_mutex> g(handlers.mu);
  handlers.handlers[0] = 1;
  // The bug: the plugins are marked as not activated, and nobody activates them again. The fix
  // leaves them activated.
  if (!fixed)
    for (auto &[id, p] : storage.by_id) p->activated = false;
}

void test_active(plugin &p) {
  auto [done_tx, done_rx] = gridlock::make_channel<int>(0, "done");
  gridlock::thread waiter(
      "waitActive",
      [&p](gridlock::sender<int> done) {
        p.wait_active();
        done.close();
      },
      std::move(done_tx));
  done_rx.recv(); // EXPECT: main | chan receive | done
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  plugins storage;
  extpoint_handlers handlers;
  plugin p;
  storage.by_id[0] = &p;
  p.activate();

  test_active(p);
  handle(storage, handlers);
  test_active(p);
  return 0;
}
