// Issue 19: a partial deadlock. A and B each send first to the other on a rendezvous channel
// ('to-B', 'to-A') and only then receive, so both block in their sends, while `main` keeps
// working: it is never in a gridlock wait, and it keeps its original handles, unused.
//
//   partial_cycle capture   A and B get copies of the handles by init-capture in lambdas: each
//                           belongs to the actor that first uses it (inferred), and 'main' could
//                           in principle still release the cycle with its unused copies.
//                           Expected: a *probable* deadlock, cycle A -> B, naming 'main''s unused
//                           copies ("unless 'main' uses its unused copy of ..."); never acted on.
//   partial_cycle capture-then-join
//                           As capture; once the probable deadlock is reported, main joins A,
//                           so the whole process is stuck. Expected: the same cycle reported again
//                           as *definite*, a consequence of the probable finding (its `after`);
//                           with on_deadlock=abort the process then dies of SIGABRT.
//   partial_cycle args      A and B get copies passed as gridlock::thread arguments: they belong
//                           to the new actors from the start (exact). Expected: a *definite*
//                           deadlock, cycle A -> B; with on_deadlock=break B's send (the youngest
//                           wait) throws gridlock::deadlock_error.
//
// main waits (on a std::condition_variable, not in gridlock) until gridlock::on_finding reports a
// deadlock, prints it and exits 0 with A and B still blocked (no join). If none comes within 30 s
// it says so and exits 1.
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unistd.h>

namespace {

// One peer's exchange, on the handle objects it holds (passed by reference: no copy, no move).
void exchange(const char *self, std::atomic<pid_t> &tid, gridlock::sender<int> &to_other,
              gridlock::receiver<int> &from_other) {
  tid = ::gettid();
  try {
    to_other.send(1); // EXPECT: chan send (both peers send first)
    from_other.recv();
  } catch (const gridlock::deadlock_error &) {
    std::printf("%s: chosen as the deadlock victim, giving up\n", self);
  } catch (const gridlock::channel_closed &) {
    std::printf("%s: the other side is gone\n", self);
  }
  std::fflush(stdout);
}

// The thread function of the "args" mode: the handles arrive as gridlock::thread arguments.
void peer(const char *self, std::atomic<pid_t> *tid, gridlock::sender<int> to_other,
          gridlock::receiver<int> from_other) {
  exchange(self, *tid, to_other, from_other);
}

// What the finding handler saw; main waits on it. Never destroyed: the handler may still run
// (for a later finding) while the process exits.
struct report_wait {
  std::mutex mu;
  std::condition_variable cv;
  bool reported = false;
  gridlock::finding_summary first_deadlock;
};

} // namespace

int main(int argc, char **argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const bool by_args = mode == "args", then_join = mode == "capture-then-join";
  if (!by_args && !then_join && mode != "capture") {
    std::fprintf(stderr, "usage: partial_cycle capture|capture-then-join|args\n");
    return 2;
  }
  auto *w = new report_wait;
  gridlock::on_finding([w](const gridlock::finding_summary &s) {
    if (s.kind != "deadlock") return;
    std::lock_guard lk(w->mu);
    if (w->reported) return;
    w->first_deadlock = s;
    w->reported = true;
    w->cv.notify_all();
  });

  // main's originals: kept until the end, never used, never moved.
  auto [b_tx, b_rx] = gridlock::make_channel<int>(0, "to-B");
  auto [a_tx, a_rx] = gridlock::make_channel<int>(0, "to-A");
  std::atomic<pid_t> a_tid{0}, b_tid{0};

  // A starts and blocks in its send before B starts: A's wait is the older one.
  gridlock::thread a, b;
  if (by_args) {
    a = gridlock::thread("A", peer, "A", &a_tid, b_tx, a_rx); // lvalues: copied, given to A
    gridlock::testing::wait_until_asleep({&a_tid});
    b = gridlock::thread("B", peer, "B", &b_tid, a_tx, b_rx);
  } else {
    a = gridlock::thread(
        "A", [tx = b_tx, rx = a_rx, &a_tid]() mutable { exchange("A", a_tid, tx, rx); });
    gridlock::testing::wait_until_asleep({&a_tid});
    b = gridlock::thread(
        "B", [tx = a_tx, rx = b_rx, &b_tid]() mutable { exchange("B", b_tid, tx, rx); });
  }

  // main keeps working: it waits outside gridlock for the report, with a generous deadline.
  std::unique_lock lk(w->mu);
  const bool reported = w->cv.wait_for(lk, std::chrono::seconds(30), [w] { return w->reported; });
  const gridlock::finding_summary first = w->first_deadlock;
  lk.unlock(); // a later finding's handler must not wait for main
  if (!reported) {
    std::printf("main: no deadlock reported within 30 s\n");
    std::fflush(stdout);
    std::exit(1);
  }
  std::printf("main: deadlock reported (%s): %s\n", first.certainty.c_str(), first.summary.c_str());
  std::fflush(stdout);
  if (then_join) a.join(); // EXPECT: thread join (main joins the stuck cycle)
  // args: B, the victim of on_deadlock=break (the youngest wait), gives up and ends; joined, so
  // no finished thread is left unjoined.
  if (by_args) b.join();
  std::exit(0); // A and B may still be blocked: they are not joined, their threads not destroyed
}
