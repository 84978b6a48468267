// A chat server (server.cpp) greets a new session before it reads the client's login; the client
// (client.cpp) logs in before it reads the greeting. Both channels are rendezvous (main.cpp), so
// the two first sends wait for each other: a cycle visible only with both .cpp files.
#pragma once

#include <gridlock/gridlock.hpp>

#include <optional>
#include <string>
#include <utility>

struct Line {
  std::string user;
  std::string text;
};

struct SessionEnds {
  gridlock::sender<Line> to_client;
  gridlock::receiver<Line> from_client;
};

class Outbox {
public:
  explicit Outbox(gridlock::sender<Line> tx) : tx_(std::move(tx)) {}
  void write(const Line &line);

private:
  gridlock::sender<Line> tx_;
};

class Session {
public:
  explicit Session(SessionEnds ends)
      : out_(std::move(ends.to_client)), in_(std::move(ends.from_client)) {}
  void push(const Line &line);
  std::optional<Line> pull() { return in_.recv(); }

private:
  Outbox out_;
  gridlock::receiver<Line> in_;
};

class Server {
public:
  void serve(SessionEnds ends);

private:
  void on_start();
  void greet(const std::string &motd);
  void broadcast(const Line &line);

  std::optional<Session> session_;
};

class Client {
public:
  explicit Client(std::string user) : user_(std::move(user)) {}
  void run(gridlock::sender<Line> to_server, gridlock::receiver<Line> from_server);
  bool welcomed() const { return welcomed_; }

private:
  void login();

  std::string user_;
  gridlock::sender<Line> to_server_;
  gridlock::receiver<Line> from_server_;
  bool welcomed_ = false;
};
