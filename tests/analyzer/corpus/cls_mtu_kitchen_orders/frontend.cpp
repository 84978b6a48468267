// The Frontend: run -> take_order -> submit -> send, then await_ready -> receive.
#include "restaurant.hpp"

void Frontend::submit(const Order &o) { orders_.send(o); }

void Frontend::await_ready(int table) {
  auto r = ready_.recv();
  if (r && *r == table) ++served_;
}

void Frontend::take_order(int table, const std::string &dish) {
  submit(Order{table, dish});
  await_ready(table);
}

void Frontend::run() {
  const char *const dishes[] = {"soup", "risotto", "tart"};
  for (int table = 0; table < 3; ++table) take_order(table + 1, dishes[table]);
  orders_.close();
}
