// A restaurant split over frontend.cpp, kitchen.cpp and main.cpp: the Frontend submits an order on
// a rendezvous channel and waits for the Kitchen's ready notice before the next one; the Kitchen
// receives an order, cooks it (its stats mutex released before replying) and sends the notice.
// Request/reply in lock step, then the Frontend closes the order channel: clean.
#pragma once

#include <gridlock/gridlock.hpp>

#include <mutex>
#include <string>
#include <utility>

struct Order {
  int table;
  std::string dish;
};

class Frontend {
public:
  Frontend(gridlock::sender<Order> orders, gridlock::receiver<int> ready)
      : orders_(std::move(orders)), ready_(std::move(ready)) {}
  void run();
  int served() const { return served_; }

private:
  void take_order(int table, const std::string &dish);
  void submit(const Order &o);
  void await_ready(int table);

  gridlock::sender<Order> orders_;
  gridlock::receiver<int> ready_;
  int served_ = 0;
};

class Kitchen {
public:
  Kitchen(gridlock::receiver<Order> orders, gridlock::sender<int> ready)
      : orders_(std::move(orders)), ready_(std::move(ready)) {}
  void run();

private:
  void cook(const Order &o);
  void ring_bell(int table);

  gridlock::receiver<Order> orders_;
  gridlock::sender<int> ready_;
  std::mutex stats_mu_;
  int cooked_ = 0;
};

class Restaurant {
public:
  Restaurant();
  void open_for_lunch();
  int served() const { return frontend_.served(); }

private:
  std::pair<gridlock::sender<Order>, gridlock::receiver<Order>> orders_;
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> ready_;
  Frontend frontend_;
  Kitchen kitchen_;
};
