// GoKer kubernetes#26980: pop() takes the listener's lock and, with a notification pending, waits
// in a select for stopCh while still holding it. The test's goroutine then blocks on the lock,
// main blocks waiting for that goroutine to close resultCh, and stopCh is only closed by main's
// deferred close: the three wait for each other. Fix (upstream): the lock is held only while a
// notification is taken out of the pending list (blockingGet); the select on stopCh runs after
// the lock is released.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main TestKubernetes26980.func1 pop
#include <gridlock/gridlock.hpp>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

struct token {};

// Forces the interleaving the bug needs: pop takes the lock before the test's goroutine does
// (the other way round, nothing blocks).
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> pop_locked =
      gridlock::make_channel<int>(1, "pop-locked");
};

struct processor_listener {
  gridlock::shared_mutex lock{"processorListener.lock"};
  gridlock::condition_variable cond{"processorListener.cond"}; // its L is lock
  std::vector<int> pending_notifications;

  void add(int notification) {
    gridlock::lock_guard held(lock);
    pending_notifications.push_back(notification);
    cond.notify_all();
  }

  // True once stopCh is closed (Go: a select on it with a default case).
  static bool stopped(gridlock::receiver<token> &stop_ch) {
    bool closed = false;
    gridlock::select sel;
    sel.recv(stop_ch, [&](std::optional<token>) { closed = true; });
    sel.try_select();
    return closed;
  }

  // Waits for a notification under the lock; false if stopCh closed meanwhile.
  bool wait_for_notification(gridlock::receiver<token> &stop_ch) {
    while (pending_notifications.empty()) {
      if (stopped(stop_ch)) return false;
      cond.wait(lock);
    }
    return true;
  }

  void pop(gridlock::receiver<token> stop_ch, rendezvous &r) {
    lock.lock();
    r.pop_locked.first.send(1);
    if (fixed) {
      // blockingGet: the lock is held only while a notification is taken out.
      const bool got = wait_for_notification(stop_ch);
      if (got) pending_notifications.erase(pending_notifications.begin());
      lock.unlock();
      if (!got) return;
      gridlock::select sel;
      sel.recv(stop_ch, [](std::optional<token>) {});
      sel.wait();
      return;
    }
    if (wait_for_notification(stop_ch)) {
      gridlock::select sel; // the bug: waits for stopCh with the lock held
      sel.recv(stop_ch, [](std::optional<token>) {});
      sel.wait(); // EXPECT: pop | select | stopCh
    }
    lock.unlock();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  processor_listener pl;
  auto [stop_tx, stop_rx] = gridlock::make_channel<token>(0, "stopCh");
  pl.add(1);
  gridlock::thread pop(
      "pop", [&pl, &r](gridlock::receiver<token> stop) { pl.pop(stop, r); }, stop_rx);

  auto [result_tx, result_rx] = gridlock::make_channel<token>(0, "resultCh");
  gridlock::thread locker(
      "TestKubernetes26980.func1",
      [&pl, &r](gridlock::sender<token> result) {
        r.pop_locked.second.recv();
        pl.lock.lock(); // EXPECT: TestKubernetes26980.func1 | write lock | processorListener.lock
        result.close();
        pl.lock.unlock(); // Go: main unlocks it; here its locker does (after closing resultCh)
      },
      result_tx);
  result_rx.recv(); // EXPECT: main | chan receive | resultCh
  stop_tx.close();  // Go: deferred close(stopCh)
  return 0;
}
