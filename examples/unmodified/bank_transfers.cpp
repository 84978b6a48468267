// An unmodified C++ program (no gridlock header, not linked with gridlock) with the seed's
// "resource ordering" bug: transfer() locks the payer's account, then the payee's. Today's run is
// lucky - the two tellers work one after the other - so it never deadlocks and every test passes.
// Run under gridlock-run, its lock order is recorded and the inversion is predicted:
//
//   build/bin/gridlock-run ./build/examples/bank_transfers
//   -> lock-order-inversion (possible): 'alice' -> 'bob' -> 'alice', with both lines
//
// The fix: lock both accounts at once (std::scoped_lock(a.mu, b.mu)) or in one global order.
#include <cstdio>
#include <mutex>
#include <thread>

namespace {

struct account {
  std::mutex mu;
  long balance = 100;
};
account alice, bob;

void transfer(account &from, account &to, long amount) {
  std::lock_guard payer(from.mu);
  std::lock_guard payee(to.mu); // the second lock, taken in the payer-first order
  from.balance -= amount;
  to.balance += amount;
}

} // namespace

int main() {
  std::thread morning([] { // alice pays bob
    for (int i = 0; i < 1000; ++i) transfer(alice, bob, 1);
  });
  morning.join();
  std::thread evening([] { // bob pays alice: the opposite order
    for (int i = 0; i < 1000; ++i) transfer(bob, alice, 1);
  });
  evening.join();
  std::printf("alice %ld, bob %ld\n", alice.balance, bob.balance);
  return 0;
}
