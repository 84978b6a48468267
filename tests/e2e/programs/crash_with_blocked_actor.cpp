// Dies abnormally while an actor is blocked: `crash_with_blocked_actor abort|terminate|segv`.
// Run with report_dir set: the crash report must be on disk afterwards.
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  auto [tx, rx] = gridlock::make_channel<int>(0, "never");
  gridlock::thread sleeper(
      "sleeper", [](gridlock::receiver<int> in) { in.recv(); }, std::move(rx));
  sleeper.detach();
  // Give the sleeper time to block (the test accepts a report without it, not a missing report).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  if (std::strcmp(argv[1], "abort") == 0) std::abort();
  if (std::strcmp(argv[1], "terminate") == 0) throw std::runtime_error("nobody catches this");
  if (std::strcmp(argv[1], "segv") == 0) {
    // A real invalid write (volatile: the compiler may not drop it), to an address that is not
    // null, so UBSan does not stop the program before the fault.
    volatile int *volatile nowhere = reinterpret_cast<volatile int *>(std::uintptr_t{16});
    *nowhere = 1;
  }
  return 2;
}
