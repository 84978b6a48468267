// Issue 16: a program written for gridlock that blocks in the standard library too. Node's two
// member functions run on std::threads (std::thread(&Node::f, this)); each sends first on the
// other's rendezvous channel and only then receives. The channels are Node's fields, made by
// main, so main holds every end; main then waits in std::thread::join.
//
// Without interposition the join is not a wait gridlock sees: main looks busy, and as it could
// still receive, nothing is reported while the program hangs. With libgridlock's interposer
// (the default) main's join is a wait for A, so A's send, waiting for main, closes a cycle.
//
//   std_threads_exchange              Expected: a definite deadlock whose cycle holds main, in
//                                     'thread join' at the join below, and the peer it joins,
//                                     in 'chan send'. With on_deadlock=break each peer's send
//                                     throws deadlock_error in turn, and the program exits 0.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <thread>
#include <utility>

namespace {

class Node {
public:
  void a() { exchange("A", to_b_.first, to_a_.second); }
  void b() { exchange("B", to_a_.first, to_b_.second); }

private:
  static void exchange(const char *name, gridlock::sender<int> &out, gridlock::receiver<int> &in) {
    gridlock::set_actor_name(name);
    try {
      out.send(1); // EXPECT: chan send (each peer sends first)
      in.recv();
    } catch (const gridlock::deadlock_error &) {
      std::printf("%s: chosen as the deadlock victim, giving up\n", name);
    }
  }
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> to_b_ =
      gridlock::make_channel<int>(0, "to-B");
  std::pair<gridlock::sender<int>, gridlock::receiver<int>> to_a_ =
      gridlock::make_channel<int>(0, "to-A");
};

} // namespace

int main() {
  Node node;
  std::thread a(&Node::a, &node);
  std::thread b(&Node::b, &node);
  a.join(); // EXPECT: thread join (main waits for A)
  b.join();
  std::puts("main: both peers gave up");
}
