// A program that exits while a detached worker is still blocked in a receive (std::exit, so the
// sender in main's frame is never destroyed and the channel never closes).
// Expected: a "leak" finding for 'stuck-worker' at exit (unless report_leaks=0).
#include <gridlock/gridlock.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

namespace {
// True once thread `tid` sleeps in the kernel (its only way to sleep here is a gridlock wait).
bool sleeping(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'S';
}
} // namespace

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
  // Wait until the worker has slept for 200 ms without a break: only its gridlock wait lasts that
  // long (a brief futex wait on a lock inside gridlock would not).
  for (int quiet = 0; quiet < 20;) {
    quiet = tid != 0 && sleeping(tid) ? quiet + 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::exit(0);
}
