// GoKer cockroach#16167: execParsed holds the executor's system-config read lock (taken through
// the condition variable's locker, an alias of the RWMutex's read side) for the whole statement;
// preparing the statement reads the database cache under the same read lock again. Meanwhile
// Start() asks for the write lock to update the system config: under Go's writer preference the
// pending writer blocks the nested read lock, and the writer waits for the outer one. Fix
// (upstream): the database cache is read without taking systemConfigMu again (no recursive read
// lock).
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: main Start
#include <gridlock/gridlock.hpp>

#include <string_view>
#include <thread>
#include <utility>

namespace {

bool fixed = false;

// Forces the interleaving the bug needs (GoKer runs the kernel until it happens): the writer asks
// for the lock once the outer read lock is held, and the nested read lock comes once the writer
// is parked (under Go's policy a parked writer makes try_lock_shared fail).
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

// RWMutex.RLocker(): Lock/Unlock are the read side.
struct read_locker {
  gridlock::shared_mutex &rw;
  void lock() { rw.lock_shared(); }
  void unlock() { rw.unlock_shared(); }
};

// sync.NewCond(systemConfigMu.RLocker()): only its L is ever used.
struct cond {
  read_locker L;
  gridlock::condition_variable cv{"systemConfigCond"};
};

struct executor;

struct session;

struct prepared_statements {
  session *s;
  void new_statement(executor &e);
};

struct session {
  prepared_statements ps{this};
  void reset_for_batch(executor &e);
};

struct executor {
  gridlock::shared_mutex system_config_mu{"Executor.systemConfigMu"};
  cond system_config_cond{read_locker{system_config_mu}};
  rendezvous &r;
  explicit executor(rendezvous &rv) : r(rv) {}

  void start() {
    r.outer_read_held.second.recv();
    update_system_config();
  }

  void exec_parsed(session &s) {
    system_config_cond.L.lock(); // the read lock, under another name
    r.outer_read_held.first.send(1);
    until_writer_waits(system_config_mu);
    run_txn_attempt(s);
    system_config_cond.L.unlock();
  }

  void run_txn_attempt(session &s) { exec_stmts_in_current_txn(s); }
  void exec_stmts_in_current_txn(session &s) { exec_stmt_in_open_txn(s); }
  void exec_stmt_in_open_txn(session &s) { s.ps.new_statement(*this); }
  void prepare(session &s) { s.reset_for_batch(*this); }

  void get_database_cache() {
    if (fixed) return; // the fix: the cache is read without taking systemConfigMu again
    system_config_mu.lock_shared(); // EXPECT: main | read lock | Executor.systemConfigMu
    system_config_mu.unlock_shared();
  }

  void update_system_config() {
    system_config_mu.lock(); // EXPECT: Start | write lock | Executor.systemConfigMu
    system_config_mu.unlock();
  }
};

void prepared_statements::new_statement(executor &e) { e.prepare(*s); }
void session::reset_for_batch(executor &e) { e.get_database_cache(); }

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  rendezvous r;
  executor e(r);
  session s;
  gridlock::thread g1("Start", [&e] { e.start(); });
  e.exec_parsed(s);
  return 0;
}
