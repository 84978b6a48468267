// Clean twin of cls_server_client_send_first: the same Server and Client, each owning the sending
// end of the rendezvous channel it builds in its constructor, but the Client waits for the
// Server's update before it answers. Server sends, Client receives, Client sends, Server receives:
// every rendezvous has its partner waiting, three rounds, then both loops end.
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
      updates_.first.send(Message{0, seq});
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
      auto update = updates_.recv();
      if (!update) return;
      seen_ += update->seq;
      requests_.first.send(Message{1, seq});
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
