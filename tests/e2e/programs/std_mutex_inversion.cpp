// Issue 16: a program linked with gridlock takes two std::mutexes in opposite orders in two
// std::threads, one after the other, so this run never deadlocks; libgridlock's interposer
// predicts it from the lock order.
//
//   std_mutex_inversion               Expected: one lock-order-inversion, possible, naming both
//                                     acquisitions of the second lock in each order.
//                                     Prints "interposing 1".
//   (GRIDLOCK_OPTIONS interpose=0)    Expected: no report: the standard mutexes are not watched.
//                                     Prints "interposing 0".
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <mutex>
#include <thread>

namespace {
std::mutex accounts;
std::mutex audit_log;
int balance = 0;
} // namespace

int main() {
  std::thread transfer([] {
    std::scoped_lock a(accounts);
    std::scoped_lock l(audit_log); // EXPECT: lock order (accounts then audit_log)
    ++balance;
  });
  transfer.join();
  std::thread audit([] {
    std::scoped_lock l(audit_log);
    std::scoped_lock a(accounts); // EXPECT: lock order (audit_log then accounts)
    --balance;
  });
  audit.join();
  // A gridlock primitive, so the program is one written for gridlock.
  auto [tx, rx] = gridlock::make_channel<int>(1, "done");
  tx.send(balance);
  std::printf("balance %d\n", *rx.recv());
  std::printf("interposing %d\n", gl_interposing());
}
