// Wires the audit feed and starts the Teller, then the Auditor, on the shared Account.
#include "bank.hpp"

#include <cstdio>
#include <utility>
#include <vector>

int main() {
  Account account;
  Teller teller(account);
  Auditor auditor(account);
  auto [feed_tx, feed_rx] = gridlock::make_channel<Transfer>(0, "audit-feed");
  std::vector<Transfer> batch{{1, 250}, {2, 75}, {3, 1200}};
  {
    gridlock::thread telling("teller", &Teller::run, &teller, std::move(feed_tx), batch);
    gridlock::thread auditing("auditor", &Auditor::run, &auditor, std::move(feed_rx));
  }
  std::printf("balance %ld, audited %d\n", account.balance(), auditor.audited());
}
