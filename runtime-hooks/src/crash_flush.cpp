#include "crash_flush.hpp"

#include "detector.hpp"
#include <gridlock/detail/runtime_scope.hpp>

#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <exception>
#include <iterator>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {

detector *the_detector = nullptr;
std::atomic<bool> flushed{false};
std::terminate_handler previous_terminate = nullptr;
constexpr int kSignals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction previous[std::size(kSignals)]; // what each signal did before: called after us

// The reporter and the handler meet on two futex words: no file descriptor (a host that closes
// every descriptor, as daemons do, cannot take it away or have a crash write into its files).
std::atomic<bool> running{false};
std::atomic<int> requested{0}; // handler -> reporter: "write the report"
std::atomic<int> written{0};   // reporter -> handler: "written"
std::atomic<int> finished{0};  // the first flush is over (written or timed out): others may go
std::atomic<const char *> reason{nullptr};
std::atomic<pid_t> reporter_tid{0};

// FUTEX_WAIT (for at most `timeout`, null: no limit) while `word` is `expected`, or FUTEX_WAKE.
// A raw system call: async-signal-safe.
void futex_wait(std::atomic<int> &word, int expected, const timespec *timeout) noexcept {
  static_assert(sizeof(std::atomic<int>) == sizeof(int));
  ::syscall(SYS_futex, reinterpret_cast<int *>(&word), FUTEX_WAIT_PRIVATE, expected, timeout,
            nullptr, 0);
}
void futex_wake(std::atomic<int> &word) noexcept {
  ::syscall(SYS_futex, reinterpret_cast<int *>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
            nullptr, 0);
}

void reporter_main() {
  reporter_tid.store(::gettid());
  while (requested.load(std::memory_order_acquire) == 0) futex_wait(requested, 0, nullptr);
  try {
    the_detector->report_crash(reason.load());
  } catch (...) {
  }
  written.store(1, std::memory_order_release);
  futex_wake(written);
}

// Starts the reporter (`running` already set) with every signal blocked: no signal meant for the
// program lands on it. A handler may ask before the thread runs: the request waits for it.
void start_reporter() {
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    internal_thread(&reporter_main).detach();
  } catch (const std::system_error &) { // no thread to be had: no crash report
    running.store(false);
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

std::int64_t monotonic_ms() noexcept {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return std::int64_t{t.tv_sec} * 1000 + t.tv_nsec / 1'000'000;
}

// Waits while `word` is 0, at most kReportTimeout. Async-signal-safe.
void await_set(std::atomic<int> &word) noexcept {
  const std::int64_t until = monotonic_ms() + std::chrono::milliseconds(kReportTimeout).count();
  for (std::int64_t left;
       word.load(std::memory_order_acquire) == 0 && (left = until - monotonic_ms()) > 0;) {
    const timespec t{static_cast<time_t>(left / 1000), static_cast<long>(left % 1000) * 1'000'000};
    futex_wait(word, 0, &t);
  }
}

// Async-signal-safe: asks the reporter for the report and waits until it is written, at most
// kReportTimeout. Once per process: a later call (terminate, then the abort it causes; a second
// thread dying at the same time) waits until the first is over, so that no thread takes the
// process down with the report half written.
void flush(const char *why) noexcept {
  if (!running.load(std::memory_order_acquire)) return;
  if (::gettid() == reporter_tid.load()) return; // the reporter itself crashed
  const int saved_errno = errno;
  if (flushed.exchange(true)) {
    await_set(finished);
  } else {
    reason.store(why);
    requested.store(1, std::memory_order_release);
    futex_wake(requested);
    await_set(written);
    finished.store(1, std::memory_order_release);
    futex_wake(finished);
  }
  errno = saved_errno;
}

const char *signal_name(int sig) {
  switch (sig) {
  case SIGABRT: return "SIGABRT (abort)";
  case SIGSEGV: return "SIGSEGV";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  case SIGILL: return "SIGILL";
  }
  return "a fatal signal";
}

// Flushes, then lets the signal do what it did before: the previous handler (a sanitizer's, the
// program's), or the default action (the process dies of the signal).
void on_signal(int sig, siginfo_t *info, void *context) {
  flush(signal_name(sig));
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    if (kSignals[i] != sig) continue;
    const struct sigaction &old = previous[i];
    ::sigaction(sig, &old, nullptr);
    if (old.sa_flags & SA_SIGINFO) {
      old.sa_sigaction(sig, info, context);
      return;
    }
    if (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN) {
      old.sa_handler(sig);
      return;
    }
  }
  std::signal(sig, SIG_DFL); // the default action: die of the signal
  ::raise(sig);
}

void on_terminate() {
  flush("std::terminate (an uncaught exception?)");
  if (previous_terminate) previous_terminate();
  std::abort();
}

} // namespace

void crash_flush_not_needed() noexcept { flushed.store(true); }

void ensure_crash_reporter() {
  if (!the_detector || running.load(std::memory_order_acquire) || running.exchange(true)) return;
  start_reporter();
}

std::size_t crash_flush_threads() noexcept {
  return running.load(std::memory_order_acquire) ? 1 : 0;
}

void crash_flush_after_fork_in_child() noexcept {
  running.store(false, std::memory_order_relaxed); // the parent's reporter is not here
  requested.store(0, std::memory_order_relaxed);
  written.store(0, std::memory_order_relaxed);
  reporter_tid.store(0);
}

void install_crash_flush(detector &d) {
  the_detector = &d;
  previous_terminate = std::set_terminate(&on_terminate);
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    struct sigaction sa {};
    sa.sa_sigaction = &on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    ::sigaction(kSignals[i], &sa, &previous[i]);
  }
}

} // namespace gridlock::inline GRIDLOCK_ABI::detail
