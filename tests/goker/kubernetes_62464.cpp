// GoKer kubernetes#62464: the CPU manager's reconcile loop reads a container's CPU set with
// GetCPUSetOrDefault, which holds the state's read lock and calls GetCPUSet (and maybe
// GetDefaultCPUSet), which take the same read lock again. RemoveContainer on the static policy
// writes the default CPU set under the write lock meanwhile: under Go's writer preference the
// nested read lock waits for the pending writer, and the writer for the outer read lock. Fix
// (upstream): GetCPUSetOrDefault reads the assignments and the default set directly under its one
// read lock.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: reconcileState RemoveContainer
#include <gridlock/gridlock.hpp>

#include <string_view>
#include <thread>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): RemoveContainer
// starts once the reconcile loop holds the outer read lock, and the nested read lock comes once
// the writer is parked (under Go's policy a parked writer makes try_lock_shared fail).
struct rendezvous {
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> outer_read_held =
      gridlock::make_channel<int>(1, "outer-read-held");
};

void until_writer_waits(gridlock::shared_mutex &rw) {
  while (rw.try_lock_shared()) {
    rw.unlock_shared();
    std::this_thread::yield();
  }
}

struct state {
  virtual ~state() = default;
  virtual void get_cpu_set_or_default() = 0;
  virtual bool get_cpu_set() = 0;
  virtual void get_default_cpu_set() = 0;
  virtual void set_default_cpu_set() = 0;
};

struct state_memory : state {
  gridlock::shared_mutex mu{"stateMemory.RWMutex"};
  bool assigned = false; // the kernel flips a coin; either way GetCPUSet locks first
  rendezvous &r;
  explicit state_memory(rendezvous &rv) : r(rv) {}

  void get_cpu_set_or_default() override {
    mu.lock_shared();
    r.outer_read_held.first.send(1);
    until_writer_waits(mu);
    if (fixed) { // the fix: one level of read locking, the fields are read directly
      const bool found = assigned;
      (void)found; // else the default set, also read directly
      mu.unlock_shared();
      return;
    }
    if (!get_cpu_set()) get_default_cpu_set();
    mu.unlock_shared();
  }

  bool get_cpu_set() override {
    mu.lock_shared(); // EXPECT: reconcileState | read lock | stateMemory.RWMutex
    const bool ok = assigned;
    mu.unlock_shared();
    return ok;
  }

  void get_default_cpu_set() override {
    mu.lock_shared();
    mu.unlock_shared();
  }

  void set_default_cpu_set() override {
    mu.lock(); // EXPECT: RemoveContainer | write lock | stateMemory.RWMutex
    mu.unlock();
  }
};

struct static_policy {
  void remove_container(state &s, rendezvous &r) {
    r.outer_read_held.second.recv();
    s.get_default_cpu_set();
    s.set_default_cpu_set();
  }
};

struct manager {
  state_memory *st;
  void reconcile_state() { st->get_cpu_set_or_default(); }
};

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  state_memory s(r);
  manager m{&s};
  static_policy p;
  // The Go test returns and leaves both goroutines behind; here main joins them.
  gridlock::thread g1("reconcileState", [&m] { m.reconcile_state(); });
  gridlock::thread g2("RemoveContainer", [&p, &s, &r] { p.remove_container(s, r); });
  return 0;
}
