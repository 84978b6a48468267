// Dies abnormally while an actor is blocked: `crash_with_blocked_actor
// abort|abort_twice|terminate|segv|overflow` (abort_twice: two threads abort at the same moment;
// overflow: an actor's thread recurses until its stack is exhausted). `crash_with_blocked_actor
// watchdog`: two threads deadlock and the program's own watchdog aborts it long before gridlock's
// detect_delay_ms has passed. Run with report_dir set: the crash report must be on disk afterwards
// (with the deadlock, for watchdog).
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace {

std::atomic<pid_t> sleeper_tid{0}, a_tid{0}, b_tid{0};

// Never returns (`forever` is never cleared; the compiler cannot know): each frame holds a
// kilobyte the compiler must keep.
volatile bool forever = true;
int recurse(int depth) {
  if (!forever) return depth;
  volatile char frame[1024];
  frame[depth % sizeof frame] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}

void peer(std::atomic<pid_t> &tid, gridlock::sender<int> out, gridlock::receiver<int> in) {
  tid = ::gettid();
  out.send(1); // EXPECT: chan send
  in.recv();
}

// A and B send to each other on rendezvous channels: neither ever receives.
void deadlock_two_threads() {
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("A", peer, std::ref(a_tid), std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("B", peer, std::ref(b_tid), std::move(b_to_a), std::move(b_from_a));
  a.detach();
  b.detach();
  gridlock::testing::wait_until_asleep({&a_tid, &b_tid});
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  if (std::strcmp(argv[1], "watchdog") == 0) {
    deadlock_two_threads();
    std::fputs("watchdog: no progress, aborting\n", stderr);
    std::abort();
  }
  auto [tx, rx] = gridlock::make_channel<int>(0, "never");
  gridlock::thread sleeper(
      "sleeper",
      [](gridlock::receiver<int> in) {
        sleeper_tid = ::gettid();
        in.recv();
      },
      std::move(rx));
  sleeper.detach();
  gridlock::testing::wait_until_asleep({&sleeper_tid});
  if (std::strcmp(argv[1], "abort") == 0) std::abort();
  if (std::strcmp(argv[1], "abort_twice") == 0) {
    std::atomic<bool> go{false};
    std::thread other([&go] {
      while (!go.load()) {
      }
      std::abort();
    });
    go.store(true);
    std::abort();
  }
  if (std::strcmp(argv[1], "terminate") == 0) throw std::runtime_error("nobody catches this");
  if (std::strcmp(argv[1], "segv") == 0) {
    // A real invalid write (volatile: the compiler may not drop it), to an address that is not
    // null, so UBSan does not stop the program before the fault.
    volatile int *volatile nowhere = reinterpret_cast<volatile int *>(std::uintptr_t{16});
    *nowhere = 1;
  }
  if (std::strcmp(argv[1], "overflow") == 0) {
    gridlock::thread recurser("recurser", [] { recurse(0); });
    recurser.detach();
    for (;;) ::pause(); // until the overflow ends the process (not a gridlock wait)
  }
  return 2;
}
