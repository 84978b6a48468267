// GoKer etcd#10492: Renew() holds the lessor's lock for its whole body and, when a checkpointer
// is set, calls it from there; the checkpointer goes back into the lessor (Checkpoint) and takes
// the same lock again, so the goroutine waits for itself. Fix (upstream): Renew reads what it
// needs under the read lock, releases it, calls the checkpointer unlocked, then takes the write
// lock only to refresh the lease.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <functional>
#include <string_view>

namespace {

bool fixed = false;

struct context {}; // context.Background(): never cancelled, only passed along

using checkpointer = std::function<void(const context &)>;

struct lessor {
  gridlock::shared_mutex mu{"lessor.mu"};
  checkpointer cp;
  std::chrono::nanoseconds checkpoint_interval{0};

  void checkpoint() {
    gridlock::lock_guard write(mu); // EXPECT: main | write lock | lessor.mu
  }

  void set_checkpointer(checkpointer c) {
    gridlock::lock_guard write(mu);
    cp = std::move(c);
  }

  void renew() {
    if (fixed) {
      mu.lock_shared();
      const bool clear_remaining_ttl = cp != nullptr;
      mu.unlock_shared();
      if (clear_remaining_ttl) cp(context{}); // the fix: no lock held around the callback
      gridlock::lock_guard write(mu);         // refresh the lease
      return;
    }
    mu.lock();
    std::function<void()> unlock = [this] { mu.unlock(); };
    struct deferred {
      std::function<void()> &f;
      ~deferred() { f(); }
    } release{unlock};
    if (cp) cp(context{});
  }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  lessor le;
  le.set_checkpointer([&le](const context &) { le.checkpoint(); });
  le.mu.lock();
  le.mu.unlock();
  le.renew();
  return 0;
}
