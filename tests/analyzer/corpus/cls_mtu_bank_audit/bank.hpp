// A bank's Teller and Auditor share an Account guarded by a gridlock::mutex (bank.hpp). The Teller
// (teller.cpp) applies a transfer and publishes it on the audit feed, a rendezvous channel, while
// still holding the account lock; the Auditor (auditor.cpp) takes the account lock before it
// receives the next transfer. Only with both files does the lock across the send show.
#pragma once

#include <gridlock/gridlock.hpp>

#include <vector>

struct Transfer {
  int id;
  long amount;
};

class Account {
public:
  gridlock::mutex &lock() { return mu_; }
  void debit(long amount) { balance_ -= amount; }
  long balance() const { return balance_; }

private:
  gridlock::mutex mu_{"account"};
  long balance_ = 10'000;
};

class Notifier {
public:
  void attach(gridlock::sender<Transfer> feed);
  void publish(const Transfer &t);
  void finish();

private:
  gridlock::sender<Transfer> feed_;
};

class Teller {
public:
  explicit Teller(Account &account) : account_(account) {}
  void run(gridlock::sender<Transfer> feed, std::vector<Transfer> batch);

private:
  void process(const Transfer &t);
  void apply(const Transfer &t);

  Account &account_;
  Notifier notifier_;
};

class Auditor {
public:
  explicit Auditor(Account &account) : account_(account) {}
  void run(gridlock::receiver<Transfer> feed);
  int audited() const { return audited_; }

private:
  Account &account_;
  int audited_ = 0;
};
