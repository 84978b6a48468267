// Server: serve -> on_start -> greet -> broadcast -> Session::push -> Outbox::write -> send.
#include "chat.hpp"

void Outbox::write(const Line &line) {
  tx_.send(line); // CHECK-WARN: gridlock-circular-send definite
}

void Session::push(const Line &line) { out_.write(line); }

void Server::broadcast(const Line &line) { session_->push(line); }

void Server::greet(const std::string &motd) { broadcast(Line{"server", motd}); }

void Server::on_start() { greet("welcome to #general"); }

void Server::serve(SessionEnds ends) {
  session_.emplace(std::move(ends));
  on_start();
  while (session_->pull()) continue; // until the client closes
}
