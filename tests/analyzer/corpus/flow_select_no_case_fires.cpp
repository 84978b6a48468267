// A configuration watcher waits in a select for either a reload request or a stop signal. The
// application never requests a reload, and its shutdown() forgets the stop signal: it joins the
// watcher while it still holds both senders (they die only after the join). No case of the select
// can ever fire: the watcher blocks forever, and main with it in the join.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <variant>

namespace {

struct config {
  int version;
  std::string path;
};

class config_watcher {
public:
  config_watcher() {
    auto [reload_tx, reload_rx] = gridlock::make_channel<config>(0, "reload");
    auto [stop_tx, stop_rx] = gridlock::make_channel<std::monostate>(0, "stop");
    reload_ = std::move(reload_tx);
    stop_ = std::move(stop_tx);
    worker_ = gridlock::thread("config-watcher", &config_watcher::watch, this, std::move(reload_rx),
                               std::move(stop_rx));
  }

  void shutdown() { worker_.join(); } // should have sent on (or closed) stop_ first

private:
  void watch(gridlock::receiver<config> reloads, gridlock::receiver<std::monostate> stop) {
    bool running = true;
    while (running) {
      gridlock::select sel;
      sel.recv(reloads, [&](std::optional<config> c) {
        if (c) current_ = *c;
      });
      sel.recv(stop, [&](auto) { running = false; });
      sel.wait(); // CHECK-WARN: gridlock-unmatched definite
    }
  }

  config current_{0, "/etc/app.conf"};
  gridlock::sender<config> reload_;
  gridlock::sender<std::monostate> stop_;
  gridlock::thread worker_;
};

} // namespace

int main() {
  config_watcher watcher;
  std::puts("serving with the initial configuration");
  watcher.shutdown();
  return 0;
}
