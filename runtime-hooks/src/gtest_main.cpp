// gridlock::gtest_main: GoogleTest's main with gridlock's listener, and on_deadlock=break by
// default so that a deadlocked test fails instead of hanging.
#include <gridlock/gtest.hpp>
#include <gridlock/options.hpp>

#include <cstdlib>
#include <cstring>

int main(int argc, char **argv) {
  const char *env = std::getenv("GRIDLOCK_OPTIONS");
  if (!env || !std::strstr(env, "on_deadlock=")) gridlock::configure("on_deadlock=break");
  ::testing::InitGoogleTest(&argc, argv);
  gridlock::testing::install_gtest_listener();
  return RUN_ALL_TESTS();
}
