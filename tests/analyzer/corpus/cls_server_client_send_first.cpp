// A Server pushes status updates to a Client, which pushes requests back. Each class builds its
// outbound rendezvous channel in its constructor and keeps the sending end as a member. Both
// member loops send before they receive: each send waits for a receive that comes only after the
// peer's own send, so both block in a circular send on every schedule.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <thread>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Message {
  int from;
  int seq;
};

class Server {
public:
  Server() : updates_(gridlock::make_channel<Message>(0, "server->client")) {}
  receiver<Message> updates() const { return updates_.second; }
  void connect(receiver<Message> requests) { requests_ = std::move(requests); }

  void start() { worker_ = std::thread(&Server::loop, this); }
  void wait() { worker_.join(); }

  void loop() {
    gridlock::set_actor_name("server");
    for (int seq = 0; seq < 3; ++seq) {
      updates_.first.send(Message{0, seq}); // CHECK-WARN: gridlock-circular-send definite
      auto req = requests_.recv();
      if (!req) return;
      served_ += req->seq;
    }
  }
  int served() const { return served_; }

private:
  std::pair<sender<Message>, receiver<Message>> updates_;
  receiver<Message> requests_;
  int served_ = 0;
  std::thread worker_;
};

class Client {
public:
  Client() : requests_(gridlock::make_channel<Message>(0, "client->server")) {}
  receiver<Message> requests() const { return requests_.second; }
  void connect(receiver<Message> updates) { updates_ = std::move(updates); }

  void start() { worker_ = std::thread(&Client::loop, this); }
  void wait() { worker_.join(); }

  void loop() {
    gridlock::set_actor_name("client");
    for (int seq = 0; seq < 3; ++seq) {
      requests_.first.send(Message{1, seq}); // CHECK-NOTE
      auto update = updates_.recv();
      if (!update) return;
      seen_ += update->seq;
    }
  }
  int seen() const { return seen_; }

private:
  std::pair<sender<Message>, receiver<Message>> requests_;
  receiver<Message> updates_;
  int seen_ = 0;
  std::thread worker_;
};

int main() {
  Server server;
  Client client;
  server.connect(client.requests());
  client.connect(server.updates());

  server.start();
  client.start();
  server.wait();
  client.wait();
  std::printf("served %d, seen %d\n", server.served(), client.seen());
}
