// A program that exits while a detached worker is still blocked in a receive (std::exit, so the
// sender in main's frame is never destroyed and the channel never closes).
// Expected: a "leak" finding for 'stuck-worker' at exit (unless report_leaks=0).
#include "asleep.hpp"

#include <gridlock/gridlock.hpp>

#include <atomic>
#include <cstdlib>
#include <unistd.h>

int main() {
  auto [tx, rx] = gridlock::make_channel<int>(0, "never");
  std::atomic<pid_t> tid{0};
  gridlock::thread worker(
      "stuck-worker",
      [&tid](gridlock::receiver<int> in) {
        tid = ::gettid();
        in.recv(); // EXPECT: chan receive (leaked at exit)
      },
      std::move(rx));
  worker.detach();
  gridlock::testing::wait_until_asleep({&tid});
  std::exit(0);
}
