// GoKer cockroach#7504: a lease is acquired by name (name cache lock, then the lease's lock)
// while the same lease is released (the lease's lock, then the name cache lock to remove it):
// the AB-BA of two mutexes, with main waiting for both in a wait group. Fix (upstream): release
// drops the lease's lock before it touches the name cache.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: AcquireByName Release
#include <gridlock/gridlock.hpp>

#include <map>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs: each goroutine holds its first lock before either
// takes its second (GoKer runs the kernel until it happens).
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> acquire_has_cache =
      gridlock::make_channel<int>(1, "acquire-has-cache");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> release_has_lease =
      gridlock::make_channel<int>(1, "release-has-lease");
};

struct lease_state {
  int id;
  gridlock::mutex mu;
  explicit lease_state(int i) : id(i), mu("LeaseState.mu") {}
};

struct table_name_cache {
  gridlock::mutex mu{"tableNameCache.mu"};
  std::map<int, lease_state *> leases;

  lease_state *get(int id, rendezvous &r) {
    gridlock::lock_guard cache(mu);
    lease_state *lease = leases.at(id);
    r.acquire_has_cache.first.send(1);
    r.release_has_lease.second.recv();
    gridlock::lock_guard held(lease->mu); // EXPECT: AcquireByName | mutex lock | LeaseState.mu
    return lease;
  }

  void remove(lease_state *lease) {
    gridlock::lock_guard cache(mu); // EXPECT: Release | mutex lock | tableNameCache.mu
    leases.erase(lease->id);
  }
};

struct table_state {
  gridlock::mutex mu{"tableState.mu"};
  table_name_cache &names;
  explicit table_state(table_name_cache &n) : names(n) {}

  void release(lease_state *lease, rendezvous &r) {
    gridlock::lock_guard table(mu);
    lease->mu.lock();
    r.release_has_lease.first.send(1);
    r.acquire_has_cache.second.recv();
    if (fixed) {
      lease->mu.unlock(); // the fix: the lease's lock is not held while the cache is updated
      names.remove(lease);
      return;
    }
    names.remove(lease);
    lease->mu.unlock();
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  std::vector<std::unique_ptr<lease_state>> leases;
  table_name_cache names;
  for (int i = 0; i < 2; ++i) {
    leases.push_back(std::make_unique<lease_state>(i));
    names.leases[i] = leases.back().get();
  }
  table_state table(names);
  rendezvous r;
  gridlock::wait_group wg("wg");
  wg.go("AcquireByName", [&] { names.get(0, r); });
  wg.go("Release", [&] { table.release(leases[0].get(), r); });
  wg.wait();
  return 0;
}
