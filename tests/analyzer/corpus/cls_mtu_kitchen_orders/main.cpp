// Builds the Restaurant (its channels are made in the constructor) and serves one lunch.
#include "restaurant.hpp"

#include <cstdio>
#include <thread>

Restaurant::Restaurant()
    : orders_(gridlock::make_channel<Order>(0, "orders")),
      ready_(gridlock::make_channel<int>(0, "ready")), frontend_(orders_.first, ready_.second),
      kitchen_(orders_.second, ready_.first) {}

void Restaurant::open_for_lunch() {
  std::jthread kitchen(&Kitchen::run, &kitchen_);
  std::jthread frontend(&Frontend::run, &frontend_);
}

int main() {
  Restaurant restaurant;
  restaurant.open_for_lunch();
  std::printf("served %d tables\n", restaurant.served());
}
