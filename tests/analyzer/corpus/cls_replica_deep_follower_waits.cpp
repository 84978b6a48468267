// Clean twin of cls_replica_deep_send_first: the same replicas and the same six-call-deep path to
// the rendezvous send (run -> on_tick -> dispatch -> replicate -> route -> push -> transmit), but
// the follower waits for the leader's frame before it ticks. Leader sends, follower receives,
// follower sends, leader receives: three rounds, every send meets a waiting receive.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Frame {
  int term;
  int value;
};

enum class Role { leader, follower };

struct Wiring {
  sender<Frame> out;
  receiver<Frame> in;
};

class Link {
public:
  explicit Link(sender<Frame> tx) : tx_(std::move(tx)) {}
  void transmit(const Frame &f) { tx_.send(f); }

private:
  sender<Frame> tx_;
};

class Transport {
public:
  explicit Transport(sender<Frame> tx) : link_(std::move(tx)) {}
  void push(const Frame &f) { link_.transmit(f); }

private:
  Link link_;
};

Frame encode(int term, int value) { return Frame{term, value * 10 + term}; }

class Replica {
public:
  explicit Replica(Wiring w) : transport_(std::move(w.out)), inbox_(std::move(w.in)) {}

  int run(Role role, int ticks) {
    for (int t = 1; t <= ticks; ++t) {
      if (role == Role::follower && !await_peer()) break;
      on_tick(t);
      if (role == Role::leader && !await_peer()) break;
    }
    return applied_;
  }

private:
  void on_tick(int term) { dispatch(term, term * 7); }
  void dispatch(int term, int value) { replicate(term, value); }
  void replicate(int term, int value) { route(encode(term, value)); }
  void route(const Frame &f) { transport_.push(f); }
  bool await_peer() {
    auto f = inbox_.recv();
    if (f) applied_ += f->value;
    return f.has_value();
  }

  Transport transport_;
  receiver<Frame> inbox_;
  int applied_ = 0;
};

void replica_main(Wiring wiring, Role role, std::string name) {
  Replica replica(std::move(wiring));
  std::printf("%s applied %d\n", name.c_str(), replica.run(role, 3));
}

int main() {
  auto [a_to_b, b_from_a] = gridlock::make_channel<Frame>(0, "a->b");
  auto [b_to_a, a_from_b] = gridlock::make_channel<Frame>(0, "b->a");
  gridlock::thread a("replica-a", replica_main, Wiring{std::move(a_to_b), std::move(a_from_b)},
                     Role::leader, std::string("a"));
  gridlock::thread b("replica-b", replica_main, Wiring{std::move(b_to_a), std::move(b_from_a)},
                     Role::follower, std::string("b"));
}
