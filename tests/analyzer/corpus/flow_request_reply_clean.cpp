// A price service: each client sends a request carrying the sending end of its own reply
// channel, and waits for the answer before sending the next request. The service answers every
// request it takes and stops when the last client hangs up (its request queue closes when the
// last sender handle dies). Clean: each client sends, then receives; the service receives, then
// replies.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr int kClients = 3;
constexpr int kQuotesPerClient = 5;

struct request {
  int item;
  gridlock::sender<int> reply;
};

class price_service {
public:
  void serve(gridlock::receiver<request> requests) {
    while (auto req = requests.recv()) {
      ++served_;
      req->reply.send(100 + 7 * req->item);
    }
    std::printf("served %d quotes\n", served_);
  }

private:
  int served_ = 0;
};

int shop(int client, gridlock::sender<request> service) {
  int total = 0;
  for (int i = 0; i < kQuotesPerClient; ++i) {
    auto [reply_tx, reply_rx] = gridlock::make_channel<int>(0, "quote");
    service.send({client * 10 + i, std::move(reply_tx)});
    total += reply_rx.recv().value_or(0);
  }
  return total;
}

std::vector<gridlock::thread> start_clients(gridlock::sender<request> service) {
  std::vector<gridlock::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.push_back(gridlock::thread(
        "client-" + std::to_string(c),
        [c](gridlock::sender<request> s) { std::printf("client %d: %d\n", c, shop(c, s)); },
        service));
  return clients;
}

} // namespace

int main() {
  auto [req_tx, req_rx] = gridlock::make_channel<request>(0, "price-requests");
  price_service service;
  gridlock::thread server("price-service", &price_service::serve, &service, std::move(req_rx));
  std::vector<gridlock::thread> clients = start_clients(std::move(req_tx));
  return 0;
}
