// Clean twin of cls_ledger_lock_across_send: the Ledger holds a std::unique_lock while it updates
// its books and calls unlock() on it before the rendezvous send; the Auditor takes its
// std::unique_lock only after the entry arrived. The mutex is never held across a channel wait.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <mutex>
#include <thread>
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
    std::unique_lock<std::mutex> lk(books_);
    balance_ += e.amount;
    ++posted_;
    lk.unlock();
    journal_.first.send(e);
  }

  std::pair<sender<Entry>, receiver<Entry>> journal_ = gridlock::make_channel<Entry>(0, "journal");
  std::mutex books_;
  long balance_ = 0;
  int posted_ = 0;
};

class Auditor {
public:
  Auditor(Ledger &ledger, receiver<Entry> journal)
      : ledger_(ledger), journal_(std::move(journal)) {}

  void run() {
    while (auto e = journal_.recv()) {
      std::unique_lock<std::mutex> lk(ledger_.books());
      const long balance = ledger_.balance();
      lk.unlock();
      audited_ += e->amount;
      if (audited_ > balance) ++mismatches_;
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
    std::jthread posting(&Ledger::run, &ledger);
    std::jthread auditing([&auditor] { auditor.run(); });
  }
  std::printf("balance %ld, mismatches %d\n", ledger.balance(), auditor.mismatches());
}
