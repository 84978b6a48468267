// Actor-style accounting: a ledger actor owns a mailbox; teller actors post deposits to it (posts
// never block) and finish with a synchronous end-of-shift message, which returns once the ledger
// has taken it. The ledger receives until every teller has signed off. Clean: the only blocking
// operations are the sign-offs, and the ledger keeps receiving until it has them all.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr int kTellers = 3;
constexpr int kDeposits = 5;

struct entry {
  enum kind { deposit, end_of_shift } what;
  int teller;
  long cents;
};

class ledger {
public:
  ledger() : inbox_("ledger") {}
  gridlock::mailbox<entry> &inbox() { return inbox_; }

  void run() {
    int signed_off = 0;
    while (signed_off < kTellers) {
      gridlock::envelope<entry> e = inbox_.receive();
      if (e.message.what == entry::end_of_shift)
        ++signed_off;
      else
        balance_ += e.message.cents;
    }
    std::printf("balance: %ld cents\n", balance_);
  }

private:
  gridlock::mailbox<entry> inbox_;
  long balance_ = 0;
};

class teller {
public:
  teller(int id, gridlock::mailbox<entry> &ledger) : id_(id), ledger_(ledger) {}

  void operator()() {
    for (int i = 0; i < kDeposits; ++i) ledger_.post({entry::deposit, id_, 100L * (id_ + i)});
    ledger_.send({entry::end_of_shift, id_, 0});
  }

private:
  int id_;
  gridlock::mailbox<entry> &ledger_;
};

} // namespace

int main() {
  ledger book; // main constructs it, so main owns its mailbox and is the ledger actor
  std::vector<gridlock::thread> tellers;
  for (int i = 0; i < kTellers; ++i)
    tellers.push_back(gridlock::thread("teller-" + std::to_string(i), teller(i, book.inbox())));
  book.run();
  return 0;
}
