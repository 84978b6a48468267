// A Ledger posts entries to its books under a std::mutex and journals each one on a rendezvous
// channel it owns, still holding the lock_guard. The Auditor locks the same books before it takes
// the next journal entry. Whoever locks first blocks in its channel operation while holding the
// mutex the other needs: a lock across a send, on every schedule.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <mutex>
#include <utility>

using gridlock::receiver;
using gridlock::sender;

struct Entry {
  int account;
  long amount;
};

class Ledger {
public:
  receiver<Entry> journal() const { return journal_.second; }
  std::mutex &books() { return books_; }
  long balance() const { return balance_; }

  void run() {
    for (int account = 1; account <= 4; ++account) post(Entry{account, 100L * account});
    journal_.first.close();
  }

private:
  void post(const Entry &e) {
    std::lock_guard<std::mutex> lk(books_);
    balance_ += e.amount;
    journal_.first.send(e); // CHECK-WARN: gridlock-lock-across-send definite
  }

  std::pair<sender<Entry>, receiver<Entry>> journal_ = gridlock::make_channel<Entry>(0, "journal");
  std::mutex books_;
  long balance_ = 0;
};

class Auditor {
public:
  Auditor(Ledger &ledger, receiver<Entry> journal)
      : ledger_(ledger), journal_(std::move(journal)) {}

  void run() {
    for (;;) {
      std::lock_guard<std::mutex> lk(ledger_.books()); // CHECK-NOTE
      auto e = journal_.recv();
      if (!e) break;
      audited_ += e->amount;
      if (audited_ != ledger_.balance()) ++mismatches_;
    }
  }
  int mismatches() const { return mismatches_; }

private:
  Ledger &ledger_;
  receiver<Entry> journal_;
  long audited_ = 0;
  int mismatches_ = 0;
};

int main() {
  Ledger ledger;
  Auditor auditor(ledger, ledger.journal());
  {
    gridlock::thread posting("ledger", &Ledger::run, &ledger);
    gridlock::thread auditing("auditor", &Auditor::run, &auditor);
  }
  std::printf("balance %ld, mismatches %d\n", ledger.balance(), auditor.mismatches());
}
