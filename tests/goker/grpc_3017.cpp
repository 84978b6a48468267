// GoKer grpc#3017: RemoveSubConn caches the removed SubConn and arms a timer whose callback,
// under the client conn's mutex, deletes it for good unless NewSubConn has reused it meanwhile
// (then Stop() fails, because the timer has fired, and the entry is marked abortDeleting). On that
// abort path the callback returns without unlocking the mutex: the test's loop blocks in its next
// RemoveSubConn, and the test waits for the loop forever. Fix (upstream): the callback unlocks
// with a deferred call, on every path.
//
// GOKER-FINDING: deadlock definite
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

using address = int;
using sub_conn = int;

// Forces the interleaving the bug needs, in the loop's first round (GoKer runs the kernel until it
// happens): the timer fires, and its callback is about to lock the mutex, while NewSubConn holds
// the mutex and is about to cancel the deletion; the callback takes the mutex before the loop's
// next round does.
std::pair<gridlock::sender<int>, gridlock::receiver<int>> fired =
    gridlock::make_channel<int>(1, "callback-fired");
std::pair<gridlock::sender<int>, gridlock::receiver<int>> callback_locked =
    gridlock::make_channel<int>(1, "callback-locked");
bool first_round = true;

struct sub_conn_cache_entry {
  sub_conn sc = 0;
  std::function<void()> cancel;
  bool abort_deleting = false;
  bool forced = false; // the entry of the forced round
};

struct lb_cache_client_conn : std::enable_shared_from_this<lb_cache_client_conn> {
  gridlock::mutex mu{"lbCacheClientConn.mu"};
  std::chrono::nanoseconds timeout{1};
  std::map<address, std::shared_ptr<sub_conn_cache_entry>> sub_conn_cache;
  std::map<sub_conn, address> sub_conn_to_addr;

  sub_conn new_sub_conn(const std::vector<address> &addrs) {
    if (addrs.size() != 1) return 1;
    const address addr_without_md = addrs[0];
    gridlock::lock_guard g(mu);
    if (auto it = sub_conn_cache.find(addr_without_md); it != sub_conn_cache.end()) {
      std::shared_ptr<sub_conn_cache_entry> entry = it->second;
      if (entry->forced) fired.second.recv();
      entry->cancel();
      entry->cancel = nullptr; // entry -> timer -> callback -> entry: Go's GC collects that cycle
      sub_conn_cache.erase(it);
      return entry->sc;
    }
    const sub_conn sc_new = 1;
    sub_conn_to_addr[sc_new] = addr_without_md;
    return sc_new;
  }

  void remove_sub_conn(sub_conn sc) {
    gridlock::lock_guard g(mu); // EXPECT: TestGrpc3017.func1 | mutex lock | lbCacheClientConn.mu
    auto found = sub_conn_to_addr.find(sc);
    if (found == sub_conn_to_addr.end()) return;
    const address addr = found->second;
    if (auto it = sub_conn_cache.find(addr); it != sub_conn_cache.end()) {
      if (it->second->sc != sc) sub_conn_to_addr.erase(sc);
      return;
    }
    auto entry = std::make_shared<sub_conn_cache_entry>();
    entry->sc = sc;
    entry->forced = std::exchange(first_round, false);
    sub_conn_cache[addr] = entry;

    gridlock::timer timer = gridlock::after_func(
        timeout, "RemoveSubConn.func1", [this, self = shared_from_this(), entry, sc, addr] {
          if (entry->forced) fired.first.send(1);
          if (fixed) {
            gridlock::lock_guard deferred(mu); // the fix: unlocked on every path
            if (entry->forced) callback_locked.first.send(1);
            if (entry->abort_deleting) return;
            sub_conn_to_addr.erase(sc);
            sub_conn_cache.erase(addr);
            entry->cancel = nullptr; // as in new_sub_conn: no cycle left behind
            return;
          }
          mu.lock();
          if (entry->forced) callback_locked.first.send(1);
          if (entry->abort_deleting) return; // the bug: returns holding the mutex
          sub_conn_to_addr.erase(sc);
          sub_conn_cache.erase(addr);
          entry->cancel = nullptr;
          mu.unlock();
        });

    entry->cancel = [timer, entry]() mutable {
      if (!timer.stop()) entry->abort_deleting = true;
    };
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  auto [done_tx, done_rx] = gridlock::make_channel<int>(0, "done");
  // Shared with the timer callbacks: one that fires late may still run after the test returned.
  auto ccc = std::make_shared<lb_cache_client_conn>();
  sub_conn sc = ccc->new_sub_conn({1});
  gridlock::thread loop(
      "TestGrpc3017.func1",
      [&ccc, &sc](gridlock::sender<int> done) {
        for (int i = 0; i < 1000; ++i) {
          ccc->remove_sub_conn(sc);
          sc = ccc->new_sub_conn({1});
          if (i == 0) callback_locked.second.recv();
        }
        done.close();
      },
      std::move(done_tx));
  loop.detach();
  done_rx.recv();                  // EXPECT: main | chan receive | done
  gridlock::lock_guard g(ccc->mu); // entries left hold timers whose callbacks hold ccc
  for (auto &[addr, entry] : ccc->sub_conn_cache) entry->cancel = nullptr;
  return 0;
}
