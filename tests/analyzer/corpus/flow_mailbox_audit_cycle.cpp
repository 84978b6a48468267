// Actor-style accounting with an auditor: the ledger (owner of the 'ledger' mailbox) first hands
// the auditor its orders over a rendezvous channel, and only then reads its mailbox. The auditor
// first registers with the ledger by a synchronous mailbox send, which returns only once the
// ledger has received it, and only then reads its orders. Deadlock: ledger -> auditor -> ledger.
#include <gridlock/gridlock.hpp>

#include <cstdio>

namespace {

struct entry {
  enum kind { deposit, auditor_ready, report } what;
  long cents;
};

struct audit_order {
  int from_day;
  int to_day;
};

class auditor {
public:
  auditor(gridlock::mailbox<entry> &ledger, gridlock::receiver<audit_order> orders)
      : ledger_(ledger), orders_(std::move(orders)) {}

  void operator()() {
    ledger_.send({entry::auditor_ready, 0}); // CHECK-NOTE
    while (auto o = orders_.recv()) ledger_.post({entry::report, 10L * (o->to_day - o->from_day)});
  }

private:
  gridlock::mailbox<entry> &ledger_;
  gridlock::receiver<audit_order> orders_;
};

class ledger {
public:
  ledger() : inbox_("ledger") {}
  gridlock::mailbox<entry> &inbox() { return inbox_; }

  void run(gridlock::sender<audit_order> &orders) {
    orders.send({1, 30}); // CHECK-WARN: gridlock-circular-send definite
    orders.close();
    for (int seen = 0; seen < 2; ++seen) {
      gridlock::envelope<entry> e = inbox_.receive();
      if (e.message.what == entry::report) std::printf("audit: %ld\n", e.message.cents);
    }
  }

private:
  gridlock::mailbox<entry> inbox_;
};

} // namespace

int main() {
  ledger book;
  auto [orders_tx, orders_rx] = gridlock::make_channel<audit_order>(0, "audit-orders");
  gridlock::thread audit("auditor", auditor(book.inbox(), std::move(orders_rx)));
  book.run(orders_tx);
  return 0;
}
