// The price service with a client that pipelines: it sends both of its requests, each carrying
// the same rendezvous reply channel, before it reads any answer. The service answers the first
// request at once and blocks handing the quote over; the client blocks handing over the second
// request. Deadlock: client (send 'price-requests') -> service (send 'quotes') -> client.
#include <gridlock/gridlock.hpp>

#include <cstdio>

namespace {

constexpr int kItems = 2;

struct request {
  int item;
  gridlock::sender<int> reply;
};

class price_service {
public:
  void serve(gridlock::receiver<request> requests) {
    while (auto req = requests.recv()) {
      ++served_;
      req->reply.send(100 + 7 * req->item); // CHECK-NOTE
    }
  }

private:
  int served_ = 0;
};

int fetch_quotes(gridlock::sender<request> &service) {
  auto [reply_tx, reply_rx] = gridlock::make_channel<int>(0, "quotes");
  for (int item = 0; item < kItems; ++item)
    service.send({item, reply_tx}); // CHECK-WARN: gridlock-circular-send definite
  int total = 0;
  for (int i = 0; i < kItems; ++i) total += reply_rx.recv().value_or(0);
  return total;
}

} // namespace

int main() {
  auto [req_tx, req_rx] = gridlock::make_channel<request>(0, "price-requests");
  price_service service;
  gridlock::thread server("price-service", &price_service::serve, &service, std::move(req_rx));
  std::printf("basket: %d\n", fetch_quotes(req_tx));
  req_tx.close();
  return 0;
}
