// The Auditor locks the account, then waits for the next transfer on the audit feed.
#include "bank.hpp"

void Auditor::run(gridlock::receiver<Transfer> feed) {
  for (;;) {
    gridlock::lock_guard lk(account_.lock()); // CHECK-NOTE
    auto t = feed.recv();
    if (!t) break;
    if (account_.balance() >= 0) ++audited_;
  }
}
