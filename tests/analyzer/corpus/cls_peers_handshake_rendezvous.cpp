// Two Peers of a gossip protocol open a session with a handshake: each Peer owns its inbox, a
// rendezvous channel built in its constructor, and greets by calling the other Peer's deliver()
// before it reads its own inbox. Each greeting waits for the other's receive, which comes only
// after the other's own greeting: a circular send between the two objects, on every schedule.
#include <gridlock/gridlock.hpp>

#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Greeting {
  std::string from;
  int version;
};

class Peer {
public:
  Peer(std::string name, std::size_t inbox_capacity)
      : name_(std::move(name)),
        inbox_(gridlock::make_channel<Greeting>(inbox_capacity, name_ + "-inbox")) {}

  void connect(Peer &other) { other_ = &other; }
  void deliver(const Greeting &g) {
    inbox_.first.send(g); // CHECK-WARN: gridlock-circular-send definite
  }

  void handshake() {
    other_->deliver(Greeting{name_, 3});
    auto reply = inbox_.second.recv();
    if (reply) agreed_version_ = reply->version < 3 ? reply->version : 3;
  }
  int agreed_version() const { return agreed_version_; }

private:
  std::string name_;
  std::pair<sender<Greeting>, receiver<Greeting>> inbox_;
  Peer *other_ = nullptr;
  int agreed_version_ = 0;
};

int main() {
  Peer alice("alice", 0), bob("bob", 0);
  alice.connect(bob);
  bob.connect(alice);
  {
    gridlock::thread a("alice", [&alice] { alice.handshake(); });
    gridlock::thread b("bob", [&bob] { bob.handshake(); });
  }
  std::printf("versions %d/%d\n", alice.agreed_version(), bob.agreed_version());
}
