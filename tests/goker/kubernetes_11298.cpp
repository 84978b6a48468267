// GoKer kubernetes#11298: the election notifier's service loop waits for changes by running
// cond.Wait on a goroutine of its own (After) and selecting on its completion or on the abort
// channel. When the elector stops (abort closed), the loop signals the condition variable so that
// the waiting goroutine returns, and waits for it; but that goroutine may not have entered Wait
// yet: the signal is lost, the goroutine sleeps forever, the loop waits for it, Notify never
// returns and the test waits for Notify. Fix (upstream): the condition variable is replaced by an
// unbuffered channel `changed` - the elector stores the desired master under the lock and sends on
// it, and the service loop selects on abort or `changed`.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: Notify Wait
#include <gridlock/gridlock.hpp>

#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

namespace {

bool fixed = false;

using chan = std::pair<gridlock::sender<int>, gridlock::receiver<int>>;
using signal = gridlock::receiver<int>; // a channel that is only ever closed

// Forces the interleaving (the kernel relies on a 300 ns sleep): `done` is closed once the service
// loop waits, and the goroutine that runs cond.Wait enters it only after the loop's signal.
struct rendezvous {
  chan loop_waiting = gridlock::make_channel<int>(1, "loop-waiting");
  chan may_wait = gridlock::make_channel<int>(1, "may-wait");
  void loop_waits() {
    int v = 1;
    loop_waiting.first.try_send(v);
  }
};

bool closed(signal &rx) {
  gridlock::select sel;
  sel.recv(rx, [](std::optional<int>) {});
  return sel.try_select();
}

// Runs f on a new goroutine; the returned channel is closed once f has returned.
template <class F> signal after(const char *goroutine, const char *channel, F f) {
  chan c = gridlock::make_channel<int>(0, channel);
  gridlock::thread(
      goroutine,
      [f = std::move(f)](gridlock::sender<int> ch) mutable {
        f();
        ch.close();
      },
      std::move(c.first))
      .detach();
  return std::move(c.second);
}

// Runs f until stop_ch is closed (period 0: no pause between runs).
template <class F> void until(F f, signal &stop_ch) {
  for (;;) {
    if (closed(stop_ch)) return;
    f();
  }
}

// Go lets Wait run on a goroutine that did not lock the mutex (Go mutexes have no owner); here the
// waiting goroutine locks the notifier's mutex itself, and the service loop holds it only to
// signal.
struct notifier {
  gridlock::mutex lock{"notifier.lock"};
  gridlock::condition_variable cond{"notifier.cond"};
  chan changed = gridlock::make_channel<int>(0, "changed"); // the fix
  int desired = 0, current = 0;
  rendezvous &r;
  explicit notifier(rendezvous &rv) : r(rv) {}

  void service_loop(signal &abort) {
    for (;;) {
      if (fixed) {
        bool aborted = false;
        r.loop_waits();
        gridlock::select sel;
        sel.recv(abort, [&](std::optional<int>) { aborted = true; });
        sel.recv(changed.second, [](std::optional<int>) {});
        sel.wait();
        if (aborted) return;
        gridlock::lock_guard g(lock);
        current = desired;
        continue;
      }
      if (closed(abort)) return;
      signal ch = after("Wait", "ch", [this] {
        r.may_wait.second.recv();
        std::unique_lock lk(lock);
        cond.wait(lk); // EXPECT: Wait | condition wait | notifier.cond
      });
      bool aborted = false;
      r.loop_waits();
      gridlock::select sel;
      sel.recv(abort, [&](std::optional<int>) { aborted = true; });
      sel.recv(ch, [](std::optional<int>) {});
      sel.wait();
      if (aborted) {
        {
          gridlock::lock_guard g(lock);
          cond.notify_one(); // so that Wait returns - unless it has not begun yet
        }
        r.may_wait.first.send(1);
        ch.recv(); // EXPECT: Notify | chan receive | ch
        return;
      }
    }
  }
};

void notify(signal abort, rendezvous &r) {
  notifier n(r);
  signal finished = after("elect", "finished", [&n, abort]() mutable {
    until(
        [&] {
          for (;;) {
            if (closed(abort)) return;
            if (fixed) {
              {
                gridlock::lock_guard g(n.lock);
                n.desired = 1;
              }
              n.changed.first.send(1);
            } else {
              gridlock::lock_guard g(n.lock);
              n.cond.notify_one();
            }
          }
        },
        abort);
  });
  until([&] { n.service_loop(finished); }, abort);
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  chan done = gridlock::make_channel<int>(0, "done");
  signal notify_done =
      after("Notify", "notifyDone", [&r, abort = done.second] { notify(abort, r); });
  gridlock::thread(
      "closeDone",
      [&r](gridlock::sender<int> d) {
        r.loop_waiting.second.recv(); // instead of sleeping 300 ns
        d.close();
      },
      std::move(done.first))
      .detach();
  notify_done.recv(); // EXPECT: main | chan receive | notifyDone
  return 0;
}
