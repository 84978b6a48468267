// Test programs: wait until threads are blocked, without sleeping a guessed time.
#pragma once

#include <chrono>
#include <fstream>
#include <initializer_list>
#include <string>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

namespace gridlock::testing {

// True once thread `tid` sleeps in the kernel.
inline bool sleeping(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), {});
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'S';
}

// Returns once every thread of `tids` (0: not started yet) has slept for 200 ms without a break:
// when their only long sleep is a gridlock wait, they are blocked in it (a brief futex wait on a
// lock inside gridlock would not last that long).
template <class Tid> void wait_until_asleep(std::initializer_list<const Tid *> tids) {
  const auto all_asleep = [&] {
    for (const Tid *t : tids)
      if (*t == 0 || !sleeping(*t)) return false;
    return true;
  };
  for (int quiet = 0; quiet < 20;) {
    quiet = all_asleep() ? quiet + 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

} // namespace gridlock::testing
