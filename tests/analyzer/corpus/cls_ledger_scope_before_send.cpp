// Clean twin of cls_ledger_lock_across_send: the Ledger updates its books inside a nested scope,
// so the std::lock_guard is gone before the rendezvous send, and the Auditor receives an entry
// before it locks the books to compare balances. No thread ever blocks in a channel operation
// while holding the mutex, so every send meets its receive.
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
    {
      std::lock_guard<std::mutex> lk(books_);
      balance_ += e.amount;
    }
    journal_.first.send(e);
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
    while (auto e = journal_.recv()) {
      std::lock_guard<std::mutex> lk(ledger_.books());
      audited_ += e->amount;
      if (audited_ > ledger_.balance()) ++mismatches_;
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
