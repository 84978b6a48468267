// GoKer kubernetes#13135: the Cacher's caching loop locks the Cacher, re-lists, and the watch
// cache's Replace() - which takes the watch cache's lock - unlocks the Cacher from its onReplace
// callback. An event added to the watch cache meanwhile takes the watch cache's lock first and
// then, in its onEvent callback, the Cacher's: the two locks taken in opposite orders (the test
// returns and both goroutines leak; here main joins them). Fix (upstream): the lock held across the
// re-list is a separate one ("usable", which onReplace releases), so the event path, which only
// needs the Cacher's own mutex, no longer crosses it.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: Util Add
#include <gridlock/gridlock.hpp>

#include <functional>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

using chan = std::pair<gridlock::sender<int>, gridlock::receiver<int>>;
using write_lock = gridlock::lock_guard<gridlock::shared_mutex>;

// Forces the interleaving (the kernel hangs in 93 runs of 100): in its second round the caching
// loop has locked the Cacher when the event comes in, and re-lists once the event holds the watch
// cache's lock; the stop channel is closed only once that round has begun.
struct rendezvous {
  chan cacher_locked = gridlock::make_channel<int>(1, "cacher-locked");
  chan event_locked = gridlock::make_channel<int>(1, "event-locked");
  chan second_round = gridlock::make_channel<int>(1, "second-round");
  int rounds = 0; // the caching loop's, its own
};

bool closed(gridlock::receiver<int> &rx) {
  gridlock::select sel;
  sel.recv(rx, [](std::optional<int>) {});
  return sel.try_select(); // only ever closed, never sent to
}

void util(const std::function<void()> &f, gridlock::receiver<int> &stop_ch) {
  for (;;) {
    if (closed(stop_ch)) return;
    f();
    // time.Sleep(period) with a period of 0: nothing
  }
}

struct store {
  virtual ~store() = default;
  virtual void add() = 0;
  virtual void replace() = 0;
};

struct reflector {
  store &st;
  bool list_and_watch(gridlock::receiver<int> &) {
    sync_with();
    return true;
  }
  void sync_with() { st.replace(); }
};

struct watch_cache : store {
  gridlock::shared_mutex mu{"WatchCache.RWMutex"}; // only ever locked exclusively
  std::function<void()> on_replace, on_event;
  rendezvous &r;
  explicit watch_cache(rendezvous &rv) : r(rv) {}

  void set_on_event(std::function<void()> f) {
    write_lock g(mu);
    on_event = std::move(f);
  }
  void set_on_replace(std::function<void()> f) {
    write_lock g(mu);
    on_replace = std::move(f);
  }
  void process_event() {
    r.cacher_locked.second.recv();
    write_lock g(mu);
    r.event_locked.first.send(1);
    if (on_event) on_event();
  }
  void add() override { process_event(); }
  void replace() override {
    write_lock g(mu); // EXPECT: Util | write lock | WatchCache.RWMutex
    if (on_replace) on_replace();
  }
};

struct cacher {
  gridlock::mutex mu{"Cacher.Mutex"};
  gridlock::shared_mutex usable{"Cacher.usable"}; // the fix's gate, only ever locked exclusively
  gridlock::wait_group initialized{"initialized"};
  gridlock::once_flag init_once{"initOnce"};
  watch_cache &wc;
  reflector refl;
  rendezvous &r;
  gridlock::thread util_thread; // last: joined before the rest is destroyed

  cacher(watch_cache &w, rendezvous &rv) : wc(w), refl{w}, r(rv) {}

  void process_event() {
    gridlock::lock_guard g(mu); // EXPECT: Add | mutex lock | Cacher.Mutex
  }

  void start_caching(gridlock::receiver<int> &stop_ch) {
    if (fixed)
      usable.lock(); // the fix: a gate of its own, released by onReplace
    else
      mu.lock(); // the bug: the Cacher's own mutex, released by onReplace
    if (++r.rounds == 2) {
      r.cacher_locked.first.send(1);
      r.second_round.first.send(1);
      r.event_locked.second.recv();
    }
    while (!refl.list_and_watch(stop_ch)) {
    }
  }
};

void new_cacher(cacher &c, gridlock::receiver<int> stop_ch) {
  c.initialized.add(1);
  c.wc.set_on_replace([&c] {
    gridlock::call_once(c.init_once, [&c] { c.initialized.done(); });
    if (fixed)
      c.usable.unlock();
    else
      c.mu.unlock();
  });
  c.wc.set_on_event([&c] { c.process_event(); });
  c.util_thread = gridlock::thread(
      "Util", [&c](gridlock::receiver<int> stop) { util([&] { c.start_caching(stop); }, stop); },
      std::move(stop_ch));
  c.initialized.wait();
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  watch_cache w(r);
  auto [stop_tx, stop_rx] = gridlock::make_channel<int>(0, "StopChannel");
  cacher c(w, r);
  new_cacher(c, stop_rx);
  gridlock::thread add("Add", [&w] { w.add(); });
  gridlock::thread closer(
      "close",
      [&r](gridlock::sender<int> stop) {
        r.second_round.second.recv();
        stop.close();
      },
      stop_tx);
  add.join(); // EXPECT: main | thread join | Add
  return 0;
}
