// An Inventory places reorders on a rendezvous channel under a std::scoped_lock over its stock
// and price mutexes; the Restocker takes (and releases) the price mutex before each receive. If
// the Inventory locks first it blocks in the send holding both while the Restocker waits for the
// price mutex: a lock across a send that depends on who locks first.
#include <gridlock/gridlock.hpp>

#include <array>
#include <cstdio>
#include <mutex>
#include <thread>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Order {
  int sku;
  int cost;
};

class Inventory {
public:
  explicit Inventory(sender<Order> orders) : orders_(std::move(orders)) {}
  std::mutex &prices() { return prices_mu_; }
  int price_of(int sku) const { return 10 + 2 * sku; }

  void reorder_low_stock() {
    for (int sku = 0; sku < static_cast<int>(stock_.size()); ++sku) {
      std::scoped_lock lk(stock_mu_, prices_mu_);
      stock_[sku] += 10;
      orders_.send(Order{sku, price_of(sku)}); // CHECK-WARN: gridlock-lock-across-send possible
    }
    orders_.close();
  }

private:
  sender<Order> orders_;
  std::mutex stock_mu_, prices_mu_;
  std::array<int, 5> stock_{};
};

class Restocker {
public:
  Restocker(Inventory &inventory, receiver<Order> orders)
      : inventory_(inventory), orders_(std::move(orders)) {}

  void run() {
    for (;;) {
      {
        std::lock_guard<std::mutex> lk(inventory_.prices()); // CHECK-NOTE
        budget_ = 1000 - spent_;
      }
      auto order = orders_.recv();
      if (!order) break;
      if (order->cost <= budget_) spent_ += order->cost;
    }
  }
  int spent() const { return spent_; }

private:
  Inventory &inventory_;
  receiver<Order> orders_;
  int budget_ = 0;
  int spent_ = 0;
};

int main() {
  auto [orders_tx, orders_rx] = gridlock::make_channel<Order>(0, "orders");
  Inventory inventory(std::move(orders_tx));
  Restocker restocker(inventory, std::move(orders_rx));
  {
    std::jthread reorder(&Inventory::reorder_low_stock, &inventory);
    std::jthread restock(&Restocker::run, &restocker);
  }
  std::printf("spent %d\n", restocker.spent());
}
