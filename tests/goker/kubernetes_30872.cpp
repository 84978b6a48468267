// GoKer kubernetes#30872: the federated namespace controller's informer runs a controller whose
// process loop pops from a DeltaFIFO under the FIFO's lock and, for an added cluster, calls back
// into the federated informer, which takes the informer's lock. The namespace deliverer checks
// ClustersSynced, which holds the informer's lock while it asks the controller's FIFO (its lock)
// whether it has synced: an AB-BA between the two locks. The goroutine that stops the informer
// then queues for the informer's lock too, so the controller's stop channel is never closed. Fix
// (upstream): ClustersSynced asks the controller without holding the informer's lock.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: Controller.Run reconcileNamespace
#include <gridlock/gridlock.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

struct empty {}; // struct{}

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the deliverer
// checks the clusters once the controller's first pop holds the FIFO's lock, the pop processes
// the item once the deliverer holds the informer's lock, and the test closes its stop channel
// once the deliverer asks the FIFO.
struct rendezvous {
  std::pair<gridlock::sender<empty>, gridlock::receiver<empty>> pop_has_fifo =
      gridlock::make_channel<empty>(1, "pop-has-fifo");
  std::pair<gridlock::sender<empty>, gridlock::receiver<empty>> synced_has_informer =
      gridlock::make_channel<empty>(1, "synced-has-informer");
  std::pair<gridlock::sender<empty>, gridlock::receiver<empty>> synced_asks_fifo =
      gridlock::make_channel<empty>(1, "synced-asks-fifo");
};

using pop_process_func = std::function<void()>;
using process_func = std::function<void()>;

// JitterUntil: run f until stop_ch is closed, checking it without blocking between runs.
void jitter_until(const std::function<void()> &f, gridlock::receiver<empty> &stop_ch) {
  for (;;) {
    gridlock::select sel;
    sel.recv(stop_ch, [](std::optional<empty>) {});
    if (sel.try_select()) return; // only ever closed
    f();
  }
}

void until(const std::function<void()> &f, gridlock::receiver<empty> &stop_ch) {
  jitter_until(f, stop_ch);
}

struct delta_fifo {
  gridlock::shared_mutex lock{"DeltaFIFO.lock"};
  rendezvous &r;
  bool first_pop = true;
  explicit delta_fifo(rendezvous &rv) : r(rv) {}

  void has_synced() {
    r.synced_asks_fifo.first.send({});
    lock.lock(); // EXPECT: reconcileNamespace | write lock | DeltaFIFO.lock
    lock.unlock();
  }

  void pop(const pop_process_func &process) {
    gridlock::lock_guard g(lock);
    if (first_pop) {
      first_pop = false;
      r.pop_has_fifo.first.send({});
      r.synced_has_informer.second.recv();
    }
    process();
  }
};

struct resource_event_handler_funcs {
  std::function<void()> add_func;
  void on_add() const {
    if (add_func) add_func();
  }
};

struct controller {
  delta_fifo queue;
  process_func process;
  controller(rendezvous &r, process_func p) : queue(r), process(std::move(p)) {}

  void run(gridlock::receiver<empty> &stop_ch) {
    until([this] { process_loop(); }, stop_ch);
  }
  void has_synced() { queue.has_synced(); }
  void process_loop() { queue.pop(process); }
};

struct informer {
  std::unique_ptr<controller> ctrl;
  std::optional<gridlock::sender<empty>> stop_chan;
  gridlock::thread running;
};

struct federated_informer_impl {
  gridlock::mutex mu{"federatedInformerImpl.Mutex"};
  informer cluster_informer;
  rendezvous &r;

  explicit federated_informer_impl(rendezvous &rv) : r(rv) {
    const resource_event_handler_funcs handler{[this] { add_cluster(); }};
    cluster_informer.ctrl = std::make_unique<controller>(r, [handler] { handler.on_add(); });
  }

  void clusters_synced() {
    if (!fixed) mu.lock(); // the fix: the controller is asked without the informer's lock
    r.synced_has_informer.first.send({});
    cluster_informer.ctrl->has_synced();
    if (!fixed) mu.unlock();
  }

  void add_cluster() {
    mu.lock(); // EXPECT: Controller.Run | mutex lock | federatedInformerImpl.Mutex
    mu.unlock();
  }

  void start() {
    gridlock::lock_guard g(mu);
    auto [tx, rx] = gridlock::make_channel<empty>(0, "informer.stopChan");
    cluster_informer.stop_chan = std::move(tx);
    cluster_informer.running = gridlock::thread(
        "Controller.Run",
        [c = cluster_informer.ctrl.get()](gridlock::receiver<empty> stop_ch) { c->run(stop_ch); },
        std::move(rx));
  }

  void stop() {
    gridlock::lock_guard g(mu);
    cluster_informer.stop_chan->close();
  }
};

struct delaying_deliverer {
  gridlock::thread handling;
  void start_with_handler(std::function<void()> handler) {
    handling = gridlock::thread("reconcileNamespace", [h = std::move(handler)] { h(); });
  }
};

struct namespace_controller {
  delaying_deliverer namespace_deliverer;
  federated_informer_impl namespace_federated_informer;
  gridlock::thread stopping;
  rendezvous &r;
  explicit namespace_controller(rendezvous &rv) : namespace_federated_informer(rv), r(rv) {}

  void is_synced() { namespace_federated_informer.clusters_synced(); }
  void reconcile_namespace() {
    r.pop_has_fifo.second.recv();
    is_synced();
  }

  void run(gridlock::receiver<empty> stop_chan) {
    namespace_federated_informer.start();
    stopping = gridlock::thread(
        "Stop",
        [this](gridlock::receiver<empty> stop) {
          stop.recv();
          namespace_federated_informer.stop();
        },
        std::move(stop_chan));
    namespace_deliverer.start_with_handler([this] { reconcile_namespace(); });
  }

  // The Go test returns and leaves the goroutines behind; here main waits for them.
  void join() {
    namespace_deliverer.handling.join();
    stopping.join();
    namespace_federated_informer.cluster_informer.running.join();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  namespace_controller nc(r);
  auto [stop_tx, stop_rx] = gridlock::make_channel<empty>(0, "stop");
  nc.run(std::move(stop_rx));
  r.synced_asks_fifo.second.recv();
  stop_tx.close();
  nc.join();
  return 0;
}
