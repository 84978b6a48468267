// GoKer moby#25384: the plugin manager's init adds one to its wait group per plugin, then starts
// one goroutine per plugin but waits for the group inside the loop that starts them: the first
// wait needs every plugin's Done, yet only the first plugin's goroutine exists, so init waits
// forever (the test returns and init leaks; here main joins it). Fix (upstream): the wait comes
// after the loop, once every plugin's goroutine has been started.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main init
#include <gridlock/gridlock.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace {

bool fixed = false;

struct plugin {};

struct manager {
  std::vector<plugin *> plugins;

  void init() {
    gridlock::wait_group group("group");
    group.add(static_cast<int>(plugins.size()));
    for (plugin *p : plugins) {
      gridlock::thread(
          "plugin", [&group](plugin *) { group.done(); }, p)
          .detach();
      if (!fixed) group.wait(); // EXPECT: init | wait_group wait | group
    }
    if (fixed) group.wait(); // the fix: wait once every plugin's goroutine runs
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  plugin p1, p2;
  manager pm{{&p1, &p2}};
  gridlock::thread init("init", [&pm] { pm.init(); });
  init.join(); // EXPECT: main | thread join | init
  return 0;
}
