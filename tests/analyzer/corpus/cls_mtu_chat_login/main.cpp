// Builds the session's two rendezvous channels and starts the server, then the client.
#include "chat.hpp"

#include <cstdio>

int main() {
  auto [down_tx, down_rx] = gridlock::make_channel<Line>(0, "server->client");
  auto [up_tx, up_rx] = gridlock::make_channel<Line>(0, "client->server");
  Server server;
  Client client("ada");
  {
    gridlock::thread serving("server", &Server::serve, &server,
                             SessionEnds{std::move(down_tx), std::move(up_rx)});
    gridlock::thread chatting("client", &Client::run, &client, std::move(up_tx),
                              std::move(down_rx));
  }
  std::printf("welcomed: %d\n", client.welcomed());
}
