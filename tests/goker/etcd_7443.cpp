// GoKer etcd#7443: the balancer sends on its notify channel (capacity 1) while it holds its own
// lock b.mu, and the only receiver of that channel is the gRPC lbWatcher. The watcher takes a
// stale notification ([0]: address 0 is also the "nothing pinned" value, so pinning it pins
// nothing and address 1 gets pinned and announced too), drops the connection of address 1 and
// calls its down(), which holds b.mu and sends into the full channel: the watcher waits for
// itself, and everybody else (Up of address 2, both Close calls, main waiting for closec) queues
// on b.mu behind it. Fix (upstream): Up() and down() no longer send under b.mu; they close the
// upc / downc signal channels, and a notify-loop goroutine does the sends, each in a select with
// stopc; Close() closes stopc, unlocks, waits for the loop to finish and only then closes the
// notify channel.
//
// GOKER-FINDING: deadlock definite
// GOKER-CYCLE: lbWatcher
#include <gridlock/gridlock.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

bool fixed = false;

using address = int;
using addresses = std::vector<address>;
struct token {};
template <class T> using chan = std::pair<gridlock::sender<T>, gridlock::receiver<T>>;

// Forces the interleaving of GoKer's report (the buggy version only: the fixed balancer has no
// send under b.mu to steer into, and runs free): resetTransport of address 0 finishes its Up()
// before address 1 starts; the watcher takes its second notification only once address 1 is
// pinned (its Up() then holds addrConn.mu, so the watcher's tearDown finds down set); address 2
// and both Close calls start once the watcher's down() holds b.mu and is about to send.
struct schedule {
  chan<token> r0_up_returned = gridlock::make_channel<token>(1, "r0-up-returned");
  chan<token> r1_pinned = gridlock::make_channel<token>(1, "r1-pinned");
  chan<token> down_sending = gridlock::make_channel<token>(0, "down-sending"); // closed: for all

  void before_receive(int round) {
    if (!fixed && round == 1) r1_pinned.second.recv();
  }
  void before_up(address a) {
    if (fixed) return;
    if (a == 1) r0_up_returned.second.recv();
    if (a == 2) down_sending.second.recv();
  }
  void after_up(address a) {
    if (!fixed && a == 0) r0_up_returned.first.send({});
  }
  void pinned(address a) {
    if (!fixed && a == 1) r1_pinned.first.send({});
  }
  void down_sends() { down_sending.first.close(); }
  void before_close() {
    if (!fixed) down_sending.second.recv();
  }
};
schedule *steps = nullptr;

struct deferred {
  std::function<void()> f;
  ~deferred() { f(); }
};

struct simple_balancer {
  addresses addrs{0, 1, 2};
  chan<addresses> notify_ch = gridlock::make_channel<addresses>(1, "notifyCh");
  gridlock::shared_mutex mu{"simpleBalancer.mu"};
  bool closed = false;
  address pin_addr = 0;
  // The fix: Up/down signal a notify loop instead of sending themselves.
  chan<token> upc = gridlock::make_channel<token>(0, "upc");
  chan<token> downc = gridlock::make_channel<token>(0, "downc");
  chan<token> stopc = gridlock::make_channel<token>(0, "stopc");
  chan<token> donec = gridlock::make_channel<token>(0, "donec");
  // Channels replaced by new ones stay open, as in Go (a gridlock channel closes when its last
  // sender goes).
  std::vector<chan<token>> replaced;

  explicit simple_balancer(gridlock::wait_group &goroutines) {
    notify_ch.first.send(addrs);
    if (fixed) goroutines.go("updateNotifyLoop", [this] { update_notify_loop(); });
  }

  gridlock::receiver<addresses> notify() { return notify_ch.second; }

  std::function<void()> up(address addr) {
    gridlock::lock_guard held(mu); // EXPECT: resetTransport-2 | write lock | simpleBalancer.mu
    if (closed) return [] {};
    if (pin_addr == 0) {
      pin_addr = addr;
      steps->pinned(addr);
      if (fixed) {
        upc.first.close(); // Go panics on a second close; gridlock's close is idempotent
        replaced.push_back(std::exchange(downc, gridlock::make_channel<token>(0, "downc")));
      } else {
        notify_ch.first.send({addr}); // the bug: a send while b.mu is held
      }
    }
    return [this, addr] { down(addr); };
  }

  void down(address addr) {
    try {
      gridlock::lock_guard held(mu);
      if (pin_addr != addr) return;
      pin_addr = 0;
      if (fixed) {
        replaced.push_back(std::exchange(upc, gridlock::make_channel<token>(0, "upc")));
        downc.first.close();
        return;
      }
      steps->down_sends();
      notify_ch.first.send(addrs); // EXPECT: lbWatcher | chan send | notifyCh
    } catch (const gridlock::channel_closed &) {
      // Go: the send panics once Close has closed notifyCh; down recovers.
    }
  }

  void close() {
    mu.lock(); // EXPECT: simpleBalancer.Close | write lock | simpleBalancer.mu
    if (closed) {
      mu.unlock();
      if (fixed) donec.second.recv();
      return;
    }
    closed = true;
    if (!fixed) {
      notify_ch.first.close();
      pin_addr = 0;
      mu.unlock();
      return;
    }
    stopc.first.close();
    pin_addr = 0;
    upc.first.close(); // Go closes it unless it is closed already
    mu.unlock();
    donec.second.recv(); // the loop has exited: nobody sends on notifyCh any more
    notify_ch.first.close();
  }

  // The fix's goroutine: all sends on notifyCh, each one abandoned when stopc closes.
  void update_notify_loop() {
    deferred done{[this] { donec.first.close(); }};
    for (;;) {
      gridlock::receiver<token> up_signal;
      {
        gridlock::shared_lock_guard read(mu);
        up_signal = upc.second;
      }
      up_signal.recv();
      address addr = 0;
      gridlock::receiver<token> down_signal;
      {
        gridlock::shared_lock_guard read(mu);
        addr = pin_addr;
        down_signal = downc.second;
      }
      bool stop = false;
      if (addr != 0) {
        gridlock::select sel;
        sel.send(notify_ch.first, addresses{addr}, [] {});
        sel.recv(stopc.second, [&](std::optional<token>) { stop = true; });
        sel.wait();
        if (stop) return;
      }
      gridlock::select on_down;
      on_down.recv(down_signal, [](std::optional<token>) {});
      on_down.recv(stopc.second, [&](std::optional<token>) { stop = true; });
      on_down.wait();
      if (stop) return;
      addresses all;
      {
        gridlock::shared_lock_guard read(mu);
        all = addrs;
      }
      gridlock::select sel;
      sel.send(notify_ch.first, all, [] {});
      sel.recv(stopc.second, [&](std::optional<token>) { stop = true; });
      sel.wait();
      if (stop) return;
    }
  }
};

struct client_conn;

struct addr_conn {
  gridlock::mutex mu{"addrConn.mu"};
  client_conn *cc;
  address addr;
  std::function<void()> down;
  addr_conn(client_conn *c, address a) : cc(c), addr(a) {}

  void tear_down() {
    gridlock::lock_guard held(mu);
    if (down) {
      down();
      down = nullptr;
    }
  }
  void reset_transport();
};

struct client_conn {
  simple_balancer *balancer;
  gridlock::shared_mutex mu{"ClientConn.mu"};
  std::optional<std::map<address, std::shared_ptr<addr_conn>>> conns{std::in_place};
  gridlock::wait_group &goroutines;

  // DialContext: the watcher starts with the connection.
  client_conn(simple_balancer *b, gridlock::wait_group &g) : balancer(b), goroutines(g) {
    goroutines.go("lbWatcher", [this] { lb_watcher(); });
  }

  void lb_watcher() {
    gridlock::receiver<addresses> notify = balancer->notify();
    for (int round = 0;; ++round) {
      steps->before_receive(round);
      const std::optional<addresses> addrs = notify.recv();
      if (!addrs) return;
      addresses add;
      std::vector<std::shared_ptr<addr_conn>> del;
      {
        gridlock::lock_guard held(mu);
        for (address a : *addrs)
          if (!conns || !conns->count(a)) add.push_back(a);
        if (conns)
          for (auto it = conns->begin(); it != conns->end();) {
            bool keep = false;
            for (address a : *addrs) keep = keep || it->first == a;
            if (keep) {
              ++it;
            } else {
              del.push_back(it->second);
              it = conns->erase(it);
            }
          }
      }
      for (address a : add) reset_addr_conn(a);
      for (auto &c : del) c->tear_down();
    }
  }

  void reset_addr_conn(address addr) {
    auto ac = std::make_shared<addr_conn>(this, addr);
    {
      gridlock::lock_guard held(mu);
      if (!conns) return;
      (*conns)[addr] = ac;
    }
    goroutines.go("resetTransport-" + std::to_string(addr), [ac] {
      steps->before_up(ac->addr);
      ac->reset_transport();
      steps->after_up(ac->addr);
    });
  }

  void close() {
    std::optional<std::map<address, std::shared_ptr<addr_conn>>> old;
    {
      gridlock::lock_guard held(mu);
      old = std::move(conns);
      conns.reset();
    }
    balancer->close();
    if (old)
      for (auto &entry : *old) entry.second->tear_down();
  }
};

void addr_conn::reset_transport() {
  gridlock::lock_guard held(mu);
  down = cc->balancer->up(addr);
}

} // namespace

int main(int argc, char **argv) {
  fixed = argc > 1 && std::string_view(argv[1]) == "fixed";
  schedule s;
  steps = &s;
  gridlock::wait_group goroutines("goroutines"); // stands for the goroutines Go leaves running
  simple_balancer sb(goroutines);
  client_conn conn(&sb, goroutines);

  auto [closec_tx, closec_rx] = gridlock::make_channel<token>(0, "closec");
  goroutines.go(
      "simpleBalancer.Close",
      [&sb](gridlock::sender<token> closec) {
        steps->before_close();
        sb.close();
        closec.close();
      },
      closec_tx);
  goroutines.go("ClientConn.Close", [&conn] {
    steps->before_close();
    conn.close();
  });
  closec_rx.recv(); // EXPECT: main | chan receive | closec
  goroutines.wait();
  return 0;
}
