// The Teller: run -> process -> apply (takes the account lock) -> Notifier::publish -> send.
#include "bank.hpp"

#include <utility>

void Notifier::attach(gridlock::sender<Transfer> feed) { feed_ = std::move(feed); }

void Notifier::publish(const Transfer &t) {
  feed_.send(t); // CHECK-WARN: gridlock-lock-across-send definite
}

void Notifier::finish() { feed_.close(); }

void Teller::apply(const Transfer &t) {
  gridlock::lock_guard lk(account_.lock());
  account_.debit(t.amount);
  notifier_.publish(t);
}

void Teller::process(const Transfer &t) {
  if (t.amount > 0) apply(t);
}

void Teller::run(gridlock::sender<Transfer> feed, std::vector<Transfer> batch) {
  notifier_.attach(std::move(feed));
  for (const Transfer &t : batch) process(t);
  notifier_.finish();
}
