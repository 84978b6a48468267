#include "crash_flush.hpp"

#include "detector.hpp"

#include <atomic>
#include <csignal>
#include <exception>
#include <iterator>
#include <unistd.h>

namespace gridlock::inline GRIDLOCK_ABI::detail {
namespace {

detector *the_detector = nullptr;
std::atomic<bool> flushed{false};
std::terminate_handler previous_terminate = nullptr;
constexpr int kSignals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction previous[std::size(kSignals)]; // what each signal did before: called after us

// Writes the crash report once; later calls (terminate, then the abort it causes) do nothing.
void flush(const char *why) noexcept {
  if (flushed.exchange(true) || !the_detector) return;
  ::alarm(5); // watchdog: the default action of SIGALRM ends the process
  try {
    the_detector->report_crash(why);
  } catch (...) {
  }
  ::alarm(0);
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
