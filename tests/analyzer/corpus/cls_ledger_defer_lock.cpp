// Clean twin of cls_ledger_lock_across_send: the Ledger makes its std::unique_lock with
// std::defer_lock, journals the entry first and only then locks the books to apply it; the
// Auditor receives before it locks. The deferred lock is never held across the rendezvous send.
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
    std::unique_lock<std::mutex> lk(books_, std::defer_lock);
    journal_.first.send(e);
    lk.lock();
    balance_ += e.amount;
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
      audited_ += e->amount;
      std::lock_guard<std::mutex> lk(ledger_.books());
      if (audited_ < ledger_.balance()) ++mismatches_;
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
  std::thread posting([&] { ledger.run(); });
  std::thread auditing(&Auditor::run, &auditor);
  posting.join();
  auditing.join();
  std::printf("balance %ld, mismatches %d\n", ledger.balance(), auditor.mismatches());
}
