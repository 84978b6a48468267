// GoKer cockroach#10790: beginCmds waits on each of the replica's prerequisite channels or for its
// context to be done. When the context is done it starts a goroutine that drains every
// prerequisite channel from the first one, including those it already received from. Here the
// first value has been taken and then the context is cancelled: the sender gives up, and the
// drainer waits on the first channel forever (in Go the test returns and the goroutine leaks; here
// main waits for the goroutines at the end, where Go's leak check would look). Fix (upstream, with
// the kernel's stopper): the drainer also gives up once the stopper quiesces, which the test's
// Stop() does.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

// The goroutines the test started; main waits for them before it returns.
gridlock::wait_group goroutines("goroutines");

// Forces the interleaving the bug needs: the first value is exchanged, then the context is
// cancelled, then beginCmds sees the cancellation on the second channel before the sender offers
// it (so its select has only one ready case), then the sender sees it too.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> first_received =
      gridlock::make_channel<int>(1, "first-received");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> cancelled =
      gridlock::make_channel<int>(1, "cancelled");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> begin_passed =
      gridlock::make_channel<int>(1, "begin-passed");
};

struct stopper {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> quiescer =
      gridlock::make_channel<int>(0, "quiescer");
  gridlock::mutex mu{"Stopper.mu"};
  bool quiescing = false; // mu

  gridlock::receiver<int> &should_quiesce() { return quiescer.second; }

  void quiesce() {
    gridlock::lock_guard g(mu);
    if (!quiescing) {
      quiescing = true;
      quiescer.first.close();
    }
  }

  void stop() { quiesce(); }
};

struct replica {
  std::vector<std::pair<gridlock::sender<bool>, gridlock::receiver<bool>>> chans;
  stopper s;
  rendezvous &r;

  explicit replica(rendezvous &rv) : r(rv) {
    for (int i = 0; i < 2; ++i)
      chans.push_back(gridlock::make_channel<bool>(0, "chans[" + std::to_string(i) + "]"));
  }

  // Waits for every prerequisite again, from the first one.
  void drain() {
    for (auto &ch : chans) {
      if (!fixed) {
        ch.second.recv(); // EXPECT: beginCmds.func1 | chan receive | chans[0]
        continue;
      }
      bool quiesced = false; // the fix: stop waiting when the stopper quiesces
      gridlock::select sel;
      sel.recv(ch.second, [](std::optional<bool>) {});
      sel.recv(s.should_quiesce(), [&](std::optional<int>) { quiesced = true; });
      sel.wait();
      if (quiesced) return;
    }
  }

  void begin_cmds(const gridlock::context &ctx) {
    gridlock::receiver<std::monostate> ctx_done = ctx.done();
    for (std::size_t i = 0; i < chans.size(); ++i) {
      if (i == 1) r.cancelled.second.recv();
      gridlock::select sel;
      sel.recv(chans[i].second, [](std::optional<bool>) {});
      sel.recv(ctx_done, [&](std::optional<std::monostate>) {
        goroutines.go("beginCmds.func1", [this] { drain(); });
      });
      sel.wait();
      if (i == 0) r.first_received.first.send(1);
      if (i == 1) r.begin_passed.first.send(1);
    }
  }

  // A helper of the kernel, not in the real code: provides the prerequisites.
  void send_chans(const gridlock::context &ctx) {
    for (std::size_t i = 0; i < chans.size(); ++i) {
      if (i == 1) r.begin_passed.second.recv();
      bool done = false;
      gridlock::select sel;
      sel.send(chans[i].first, true, [] {});
      sel.recv(ctx.done(), [&](std::optional<std::monostate>) { done = true; });
      sel.wait();
      if (done) return;
    }
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous rv;
  replica r(rv);
  auto [ctx, cancel] = gridlock::with_cancel(gridlock::background(), "ctx");
  goroutines.go(
      "sendChans", [&r](gridlock::context c) { r.send_chans(c); }, ctx);
  goroutines.go(
      "beginCmds", [&r](gridlock::context c) { r.begin_cmds(c); }, ctx);
  goroutines.go(
      "cancel",
      [&rv](gridlock::cancel_func c) {
        rv.first_received.second.recv();
        c();
        rv.cancelled.first.send(1);
      },
      cancel);
  r.s.stop();
  goroutines.wait(); // EXPECT: main | wait_group wait | goroutines
  return 0;
}
