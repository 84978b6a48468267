// Client side of the chat: logs in (a rendezvous send) before it reads the server's greeting.
#include "chat.hpp"

void Client::login() {
  to_server_.send(Line{user_, "/login " + user_}); // CHECK-NOTE
}

void Client::run(gridlock::sender<Line> to_server, gridlock::receiver<Line> from_server) {
  to_server_ = std::move(to_server);
  from_server_ = std::move(from_server);
  login();
  welcomed_ = from_server_.recv().has_value();
  to_server_.close();
}
