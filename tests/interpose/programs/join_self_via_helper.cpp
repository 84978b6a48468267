// expect: deadlock definite
// The main thread starts a "helper" that joins the main thread (to clean up after it), then
// main joins the helper: main ends up waiting for itself through the helper.
#include <pthread.h>

#include <cstdio>
#include <thread>

namespace {
int cleaned_up = 0;

// Waits for the thread `owner` to finish, then tidies up after it.
std::thread start_cleanup_helper(pthread_t owner) {
  return std::thread([owner] {
    pthread_setname_np(pthread_self(), "helper");
    pthread_join(owner, nullptr); // EXPECT: thread join by helper
    cleaned_up = 1;
    std::puts("helper: owner finished (unreachable)");
  });
}
} // namespace

int main() {
  std::thread helper = start_cleanup_helper(pthread_self());
  std::puts("main: waiting for the helper");
  helper.join(); // EXPECT: thread join
  std::printf("cleaned up: %d (unreachable)\n", cleaned_up);
  return 0;
}
