// A host forks while gridlock is busy: one thread is blocked in a receive (so the detector thread
// runs) and two threads stream a rendezvous exchange (the graph lock changes hands all the time).
// Each child deadlocks two threads of its own, then exits.
// Expected: every child's deadlock is found and broken (on_deadlock=break) and names the child's
// actors only — the parent's threads do not exist in the child, so nothing of theirs is reported
// there, not even as a leak at exit — and every child ends 0. A child that hangs (a lock copied
// while held, a detector thread that is not there) is killed after 30 s and the program ends 1.
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
constexpr int kChildren = 20;
bool in_child = false;
} // namespace

// What the parent's threads owned is unreachable in a child (they do not exist there): under
// LeakSanitizer, leak checking is off in the children.
extern "C" int __lsan_is_turned_off() { return in_child ? 1 : 0; }

namespace {

void peer(gridlock::sender<int> out, gridlock::receiver<int> in) {
  try {
    out.send(1); // EXPECT: chan send
    in.recv();
  } catch (const std::exception &) { // deadlock_error for the victim, channel_closed for the other
  }
}

int child() {
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("child-A", peer, std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("child-B", peer, std::move(b_to_a), std::move(b_from_a));
  a.join(); // EXPECT: thread join
  b.join();
  return 0;
}

// Waits for every child, for at most `deadline` in all; kills the ones still running. Returns
// how many did not end with status 0.
int reap(std::vector<pid_t> children, std::chrono::seconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  int failed = 0;
  while (!children.empty() && std::chrono::steady_clock::now() < until) {
    int status = 0;
    const pid_t done = ::waitpid(-1, &status, WNOHANG);
    if (done <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    std::erase(children, done);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "child %d failed (status %d)\n", static_cast<int>(done), status);
      ++failed;
    }
  }
  for (pid_t c : children) {
    std::fprintf(stderr, "child %d hung: killed\n", static_cast<int>(c));
    ::kill(c, SIGKILL);
    ::waitpid(c, nullptr, 0);
    ++failed;
  }
  return failed;
}

} // namespace

int main() {
  auto [held_tx, held_rx] = gridlock::make_channel<int>(0, "held");
  gridlock::thread waiter(
      "parent-waiter", [](gridlock::receiver<int> in) { in.recv(); }, std::move(held_rx));

  auto [ping_tx, ping_rx] = gridlock::make_channel<int>(0, "ping");
  auto [pong_tx, pong_rx] = gridlock::make_channel<int>(0, "pong");
  std::atomic<bool> stop{false};
  std::atomic<long> round_trips{0};
  gridlock::thread pinger(
      "parent-ping",
      [&](gridlock::sender<int> out, gridlock::receiver<int> in) {
        while (!stop) {
          out.send(1);
          in.recv();
          ++round_trips;
        }
        out.send(0);
      },
      std::move(ping_tx), std::move(pong_rx));
  gridlock::thread ponger(
      "parent-pong",
      [](gridlock::receiver<int> in, gridlock::sender<int> out) {
        while (in.recv() != 0) out.send(1);
      },
      std::move(ping_rx), std::move(pong_tx));
  while (round_trips < 1000) std::this_thread::yield(); // the exchange is in full swing

  std::vector<pid_t> children;
  for (int i = 0; i < kChildren; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      in_child = true;
      std::exit(child());
    }
    if (pid > 0) children.push_back(pid);
  }
  const int failed = reap(children, std::chrono::seconds(30));

  stop = true;
  pinger.join();
  ponger.join();
  held_tx.send(1);
  waiter.join();
  return failed == 0 && children.size() == kChildren ? 0 : 1;
}
