// GoKer moby#30408: a plugin whose activation failed keeps its Manifest nil, and waitActive only
// stops waiting once a Manifest is there: the goroutine testActive starts sleeps on the plugin's
// condition variable forever (nobody will signal it), and the test waits for that goroutine to
// close its done channel. Fix (upstream): waitActive also stops waiting once activation has set an
// error.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

bool fixed = false;

struct manifest {
  std::vector<std::string> implements;
};

struct plugin {
  gridlock::mutex activate_mu{"activateWait.L"};
  gridlock::condition_variable activate_wait{"activateWait"};
  std::optional<std::string> activate_err; // set when activation failed
  std::unique_ptr<manifest> plugin_manifest;

  // Activation succeeded once the manifest is known.
  bool activated() const { return plugin_manifest != nullptr; }

  std::optional<std::string> wait_active() {
    std::unique_lock lk(activate_mu);
    // The bug: a failed activation never brings a manifest, so only an error can end this wait.
    while (!activated() && (!fixed || !activate_err))
      activate_wait.wait(lk); // EXPECT: waitActive | condition wait | activateWait
    return activate_err;
  }
};

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
  plugin p;
  p.activate_err = "some junk happened";
  test_active(p);
  return 0;
}
