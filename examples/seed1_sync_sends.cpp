// Seed scenario 1: two actors each send synchronously to the other first (A->B while B->A).
//
// Expected: a definite deadlock, cycle A -> B -> A, both blocked in "chan send" on the
// rendezvous channels at the lines marked below. With on_deadlock=break, one send throws
// gridlock::deadlock_error; that actor gives up, its receiver is destroyed, and the other send
// throws gridlock::channel_closed: the program ends normally.
#include <gridlock/gridlock.hpp>

#include <cstdio>

namespace {

void peer(const char *self, gridlock::sender<int> to_other, gridlock::receiver<int> from_other) {
  try {
    to_other.send(1); // EXPECT: chan send, blocked (both peers send first)
    from_other.recv();
  } catch (const gridlock::deadlock_error &) {
    std::printf("%s: chosen as the deadlock victim, giving up\n", self);
  } catch (const gridlock::channel_closed &) {
    std::printf("%s: the other side is gone\n", self);
  }
}

} // namespace

int main() {
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("A", peer, "A", std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("B", peer, "B", std::move(b_to_a), std::move(b_from_a));
  a.join();
  b.join();
}
