// The Kitchen: receives an order, cooks it under its stats mutex, rings the bell after unlocking.
#include "restaurant.hpp"

void Kitchen::cook(const Order &o) {
  std::lock_guard<std::mutex> lk(stats_mu_);
  cooked_ += o.dish.empty() ? 0 : 1;
}

void Kitchen::ring_bell(int table) { ready_.send(table); }

void Kitchen::run() {
  while (auto o = orders_.recv()) {
    cook(*o);
    ring_bell(o->table);
  }
}
