// Clean twin of cls_peers_handshake_rendezvous: the same Peers greet each other first through the
// other's deliver(), but each inbox is built with capacity 1. Each Peer sends exactly one greeting
// before reading its own inbox, so each greeting fits in the buffer and both handshakes finish.
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
  void deliver(const Greeting &g) { inbox_.first.send(g); }

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
  Peer alice("alice", 1), bob("bob", 1);
  alice.connect(bob);
  bob.connect(alice);
  {
    gridlock::thread a("alice", [&alice] { alice.handshake(); });
    gridlock::thread b("bob", [&bob] { bob.handshake(); });
  }
  std::printf("versions %d/%d\n", alice.agreed_version(), bob.agreed_version());
}
