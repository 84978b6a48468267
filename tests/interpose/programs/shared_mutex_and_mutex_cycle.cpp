// expect: deadlock definite
// Mixed cycle: "reader" holds a std::shared_mutex shared and wants a std::mutex, while "writer"
// holds that std::mutex and wants the shared_mutex exclusively. A latch forces the interleaving.
#include <pthread.h>

#include <cstdio>
#include <latch>
#include <mutex>
#include <shared_mutex>
#include <thread>

namespace {
std::shared_mutex table_mu;
std::mutex journal_mu;
std::latch both_hold_first{2};
int table = 0, journal = 0;

void reader() {
  pthread_setname_np(pthread_self(), "reader");
  std::shared_lock read(table_mu);
  both_hold_first.arrive_and_wait();
  std::lock_guard log(journal_mu); // EXPECT: mutex lock by reader
  journal = table;
}

void writer() {
  pthread_setname_np(pthread_self(), "writer");
  std::lock_guard log(journal_mu);
  both_hold_first.arrive_and_wait();
  std::unique_lock write(table_mu); // EXPECT: write lock by writer
  table = ++journal;
}
} // namespace

int main() {
  std::thread r(reader);
  std::thread w(writer);
  r.join(); // EXPECT: thread join
  w.join();
  std::printf("table %d, journal %d (unreachable)\n", table, journal);
  return 0;
}
