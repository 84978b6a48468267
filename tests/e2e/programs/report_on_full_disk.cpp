// Report files cannot be written completely (RLIMIT_FSIZE of 64 bytes, SIGXFSZ ignored: every
// write past 64 bytes fails, as on a full disk) while two threads deadlock.
// Expected: one "gridlock: error: cannot write ..." line on stderr, no report file and no partial
// or temporary file left in report_dir, the text report still on stderr, and the program goes on
// (on_deadlock=break) to exit normally.
#include <gridlock/gridlock.hpp>

#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {
void peer(gridlock::sender<int> out, gridlock::receiver<int> in) {
  try {
    out.send(1);
    in.recv();
  } catch (const std::exception &) { // deadlock_error for the victim, channel_closed for the other
  }
}
// The file size limit would cut stderr too when it is a file (as under the test harness): stderr
// goes through a helper process started before the limit, which copies it to the real stderr.
pid_t stderr_through_helper() {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t helper = ::fork();
  if (helper == 0) {
    ::close(fds[1]);
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
      if (::write(2, buf, static_cast<std::size_t>(n)) != n) break;
    ::_exit(0);
  }
  ::close(fds[0]);
  ::dup2(fds[1], 2);
  ::close(fds[1]);
  return helper;
}
} // namespace

int main() {
  const pid_t helper = stderr_through_helper();
  std::signal(SIGXFSZ, SIG_IGN);
  const rlimit tiny{64, 64};
  setrlimit(RLIMIT_FSIZE, &tiny);
  auto [a_to_b, b_from_a] = gridlock::make_channel<int>(0, "A->B");
  auto [b_to_a, a_from_b] = gridlock::make_channel<int>(0, "B->A");
  gridlock::thread a("A", peer, std::move(a_to_b), std::move(a_from_b));
  gridlock::thread b("B", peer, std::move(b_to_a), std::move(b_from_a));
  a.join();
  b.join();
  std::fflush(stderr);
  ::close(2); // the helper sees the end of its input
  if (helper > 0) ::waitpid(helper, nullptr, 0);
  return 0;
}
