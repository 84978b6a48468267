// GoKer kubernetes#10182: SetPodStatus sends on the unbuffered status channel while it holds
// podStatusesLock, and the sync goroutine, after receiving a status, deletes it from the cache
// under that same lock before it receives the next. Once the first setter has delivered and let go,
// the second one takes the lock and blocks in its send while the sync goroutine blocks on the lock:
// each waits for the other. Fix (upstream): syncBatch deletes the cached status on a goroutine of
// its own (go s.DeletePodStatus(...)), so the sync loop never waits for the lock and keeps
// receiving.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: syncBatch SetPodStatus-2
#include <gridlock/gridlock.hpp>

#include <string_view>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer hits it 15 times in 100): the second setter starts
// once the first has delivered its status and returned; the sync goroutine deletes the first
// status only once the second setter holds the lock.
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> first_set_done =
      gridlock::make_channel<int>(1, "first-set-done");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> second_set_locked =
      gridlock::make_channel<int>(1, "second-set-locked");
};

struct status_manager {
  gridlock::shared_mutex pod_statuses_lock{"statusManager.podStatusesLock"};
  // podStatusChannel: each goroutine is handed the end it uses.
  std::pair<gridlock::sender<bool>, gridlock::receiver<bool>> pod_status_channel =
      gridlock::make_channel<bool>(0, "podStatusChannel");
  gridlock::wait_group &goroutines; // the goroutines Go would leave running
  rendezvous &r;

  status_manager(gridlock::wait_group &g, rendezvous &rv) : goroutines(g), r(rv) {}

  // Start: the sync loop runs on a goroutine of its own, holding the receive end.
  void start() {
    goroutines.go(
        "syncBatch",
        [this](gridlock::receiver<bool> statuses) {
          for (int i = 0; i < 2; ++i) sync_batch(statuses, i);
        },
        pod_status_channel.second);
  }

  void sync_batch(gridlock::receiver<bool> &statuses, int batch) {
    statuses.recv();
    if (batch == 0) r.second_set_locked.second.recv();
    if (fixed) {
      goroutines.go("DeletePodStatus", [this] { delete_pod_status(); }); // the fix
      return;
    }
    delete_pod_status();
  }

  void delete_pod_status() {
    auto &mu = pod_statuses_lock;
    gridlock::lock_guard held(mu); // EXPECT: syncBatch | write lock | statusManager.podStatusesLock
  }

  void set_pod_status(gridlock::sender<bool> &statuses, bool second) {
    gridlock::lock_guard held(pod_statuses_lock);
    if (second) r.second_set_locked.first.send(1);
    statuses.send(true); // EXPECT: SetPodStatus-2 | chan send | podStatusChannel
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  gridlock::wait_group goroutines("goroutines");
  status_manager s(goroutines, r);
  goroutines.go("Start", [&s] { s.start(); });
  goroutines.go(
      "SetPodStatus-1",
      [&s, &r](gridlock::sender<bool> statuses) {
        s.set_pod_status(statuses, false);
        r.first_set_done.first.send(1);
      },
      s.pod_status_channel.first);
  goroutines.go(
      "SetPodStatus-2",
      [&s, &r](gridlock::sender<bool> statuses) {
        r.first_set_done.second.recv();
        s.set_pod_status(statuses, true);
      },
      s.pod_status_channel.first);
  // Go's test returns here and leaks the two stuck goroutines; the port waits for them.
  goroutines.wait();
  return 0;
}
