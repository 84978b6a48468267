// expect: deadlock definite
// Five philosophers (std::thread, std::mutex forks) each take their left fork, wait at a
// std::barrier until all five hold one, then reach for the right fork: a 5-cycle, every run.
#include <pthread.h>

#include <array>
#include <barrier>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {
constexpr int kSeats = 5;
std::array<std::mutex, kSeats> forks;
std::barrier<> all_hold_left{kSeats};

void dine(int seat) {
  const std::string name = "phil-" + std::to_string(seat);
  pthread_setname_np(pthread_self(), name.c_str());
  std::lock_guard left(forks[seat]);
  all_hold_left.arrive_and_wait();
  std::lock_guard right(forks[(seat + 1) % kSeats]); // EXPECT: mutex lock
  std::printf("%s eats (unreachable)\n", name.c_str());
}
} // namespace

int main() {
  std::vector<std::thread> table;
  for (int seat = 0; seat < kSeats; ++seat) table.emplace_back(dine, seat);
  table[0].join(); // EXPECT: thread join
  for (int seat = 1; seat < kSeats; ++seat) table[seat].join();
  return 0;
}
