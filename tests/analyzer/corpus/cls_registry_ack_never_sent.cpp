// A service Registry takes registrations on a buffered channel and owns an acknowledgement
// channel for its subscribers, but its handler only records the registration and never sends
// the acknowledgement. The Subscriber's wait for its ack can never be matched: nothing in the
// program sends on 'acks', and the Registry keeps the sending end open until after the joins.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using gridlock::receiver;
using gridlock::sender;

struct Registration {
  std::string service;
  int port;
};

class Registry {
public:
  Registry()
      : registrations_(gridlock::make_channel<Registration>(4, "registrations")),
        acks_(gridlock::make_channel<int>(0, "acks")) {}

  sender<Registration> registrations() const { return registrations_.first; }
  receiver<int> acks() const { return acks_.second; }

  void start() { server_ = gridlock::thread("registry", &Registry::serve_one, this); }

  void serve_one() {
    auto reg = registrations_.second.recv();
    if (reg) record(*reg);
  }
  std::size_t size() const { return table_.size(); }

private:
  void record(const Registration &reg) { table_.push_back(reg); }

  std::pair<sender<Registration>, receiver<Registration>> registrations_;
  std::pair<sender<int>, receiver<int>> acks_;
  std::vector<Registration> table_;
  gridlock::thread server_; // last member: joined before the channels go away
};

class Subscriber {
public:
  Subscriber(sender<Registration> out, receiver<int> acks)
      : out_(std::move(out)), acks_(std::move(acks)) {}

  void join_cluster() {
    out_.send(Registration{"billing", 8080});
    auto ack = acks_.recv(); // CHECK-WARN: gridlock-unmatched definite
    joined_ = ack.has_value();
  }
  bool joined() const { return joined_; }

private:
  sender<Registration> out_;
  receiver<int> acks_;
  bool joined_ = false;
};

int main() {
  Registry registry;
  registry.start();
  Subscriber subscriber(registry.registrations(), registry.acks());
  {
    gridlock::thread joining("subscriber", [&subscriber] { subscriber.join_cluster(); });
  }
  std::printf("joined %d\n", subscriber.joined());
}
