// GoKer syncthing#5795: the dispatcher loop hands a ClusterConfig message to the model, whose
// callback closes the connection; Close runs internalClose on the dispatcher's own goroutine,
// and its once-body closes `closed` and then waits for dispatcherLoopStopped, which only the
// dispatcher loop closes when it returns: the dispatcher waits for itself, and main, waiting for
// the same channel, with it. Fix (upstream): Close runs internalClose on a new goroutine
// (go c.internalClose()), so the dispatcher returns and closes dispatcherLoopStopped.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: dispatcherLoop
#include <gridlock/gridlock.hpp>

#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

namespace {

bool fixed = false;

struct token {};
struct cluster_config {};
using message = std::variant<std::monostate, cluster_config>; // Go: interface{}
template <class T> using chan = std::pair<gridlock::sender<T>, gridlock::receiver<T>>;

struct model {
  virtual ~model() = default;
  virtual void cluster_config_received(const message &msg) = 0; // Go: Model.ClusterConfig
};

struct test_model : model {
  std::function<void()> cc_fn;
  void cluster_config_received(const message &) override {
    if (cc_fn) cc_fn();
  }
};

struct raw_connection {
  model *receiver;
  chan<message> inbox = gridlock::make_channel<message>(0, "inbox");
  chan<token> dispatcher_loop_stopped = gridlock::make_channel<token>(0, "dispatcherLoopStopped");
  chan<token> closed = gridlock::make_channel<token>(0, "closed");
  gridlock::once_flag close_once{"rawConnection.closeOnce"};
  gridlock::wait_group &goroutines; // the goroutines Go leaves running

  raw_connection(model *m, gridlock::wait_group &g) : receiver(m), goroutines(g) {}

  void start() {
    goroutines.go(
        "readerLoop", [this](gridlock::receiver<token> c) { reader_loop(c); }, closed.second);
    goroutines.go(
        "dispatcherLoop",
        [this](gridlock::receiver<message> in, gridlock::receiver<token> c,
               gridlock::sender<token> stopped) { dispatcher_loop(in, c, stopped); },
        inbox.second, closed.second, dispatcher_loop_stopped.first);
  }

  // Go polls `closed` in a select with a default case; the port just waits for it.
  void reader_loop(gridlock::receiver<token> &c) { c.recv(); }

  void dispatcher_loop(gridlock::receiver<message> &in, gridlock::receiver<token> &c,
                       gridlock::sender<token> &stopped) {
    struct closer {
      gridlock::sender<token> &ch;
      ~closer() { ch.close(); } // Go: defer close(c.dispatcherLoopStopped)
    } on_return{stopped};
    for (;;) {
      message msg;
      bool is_closed = false;
      gridlock::select sel;
      sel.recv(in, [&](std::optional<message> m) { msg = m ? *m : message{}; });
      sel.recv(c, [&](std::optional<token>) { is_closed = true; });
      sel.wait();
      if (is_closed) return;
      if (!std::holds_alternative<cluster_config>(msg)) return;
      receiver->cluster_config_received(msg);
    }
  }

  void internal_close() {
    gridlock::call_once(close_once, [this] {
      closed.first.close();
      auto &stopped = dispatcher_loop_stopped.second;
      stopped.recv(); // EXPECT: dispatcherLoop | chan receive | dispatcherLoopStopped
    });
  }

  void close() {
    if (fixed) {
      goroutines.go("internalClose", [this] { internal_close(); }); // the fix
      return;
    }
    internal_close();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  gridlock::wait_group goroutines("goroutines");
  test_model m;
  raw_connection c(&m, goroutines);
  m.cc_fn = [&c] { c.close(); };

  c.start();
  c.inbox.first.send(cluster_config{});
  c.dispatcher_loop_stopped.second.recv(); // EXPECT: main | chan receive | dispatcherLoopStopped
  goroutines.wait();
  return 0;
}
