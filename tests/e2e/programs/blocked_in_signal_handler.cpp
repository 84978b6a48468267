// A thread sits blocked inside a signal handler (sigsuspend) while two gridlock threads deadlock.
// Expected: the deadlock is still found and broken (on_deadlock=break), the handler is released,
// and the program ends normally: a host blocked in a handler does not stop the detector.
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <pthread.h>
#include <thread>

namespace {
std::atomic<bool> in_handler{false};

void hold(int) {
  in_handler = true;
  sigset_t all_but_usr2;
  sigfillset(&all_but_usr2);
  sigdelset(&all_but_usr2, SIGUSR2);
  sigsuspend(&all_but_usr2); // until SIGUSR2
}
void release(int) {}

void peer(gridlock::sender<int> out, gridlock::receiver<int> in) {
  try {
    out.send(1); // EXPECT: chan send
    in.recv();
  } catch (const std::exception &) { // deadlock_error for the victim, channel_closed for the other
  }
}
} // namespace

int main() {
  std::signal(SIGUSR1, hold);
  std::signal(SIGUSR2, release);
  std::thread held([] { pthread_kill(pthread_self(), SIGUSR1); });
  while (!in_handler) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("A", peer, std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("B", peer, std::move(b_to_a), std::move(b_from_a));
  a.join();
  b.join();
  pthread_kill(held.native_handle(), SIGUSR2);
  held.join();
  return 0;
}
