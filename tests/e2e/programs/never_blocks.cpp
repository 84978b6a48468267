// A single-threaded program that uses gridlock without ever blocking: a buffered channel, a
// mailbox and a mutex. Expected: gridlock starts no thread of its own (no detector, no crash
// reporter) — forking such a program, or running it under a sanitizer that cares about threads,
// is as safe as without gridlock — and it reports nothing. Exits 0, or 1 with the thread counts.
// `never_blocks block` also waits 10 ms on an empty channel once (the control: a real wait starts
// the detector thread).
#include <gridlock/gridlock.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace {
long threads() {
  long n = 0;
  for ([[maybe_unused]] const auto &t : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}
} // namespace

int main(int argc, char **argv) {
  const long before = threads(); // a sanitizer may run a thread of its own
  auto [tx, rx] = gridlock::make_channel<int>(1, "queue");
  tx.send(1);
  const int got = rx.recv().value_or(0);
  gridlock::mailbox<int> box("box");
  box.post(got);
  box.receive();
  gridlock::mutex m("m");
  m.lock();
  m.unlock();
  if (argc > 1 && std::string_view(argv[1]) == "block")
    rx.recv_for(std::chrono::milliseconds(10)); // times out: nothing is reported
  const long after = threads();
  if (after == before) return 0;
  std::fprintf(stderr, "threads: %ld before gridlock, %ld after\n", before, after);
  return 1;
}
