// GoogleTest integration: a test fails when gridlock reports a deadlock, starvation or leak while
// it runs, with the report's summary as the failure message; actors a test leaves blocked in a
// gridlock wait fail it too (a leak, as goleak reports).
//
//   #include <gridlock/gtest.hpp>
//   int main(int argc, char **argv) {
//     ::testing::InitGoogleTest(&argc, argv);
//     gridlock::testing::install_gtest_listener();
//     return RUN_ALL_TESTS();
//   }
//
// or link gridlock::gtest_main, which does that and also makes on_deadlock=break the default (a
// deadlocked test then fails instead of hanging), unless GRIDLOCK_OPTIONS sets on_deadlock.
#pragma once

#include <gridlock/findings.hpp>

#include <gtest/gtest.h>

namespace gridlock::testing {

class gtest_listener : public ::testing::EmptyTestEventListener {
public:
  void OnTestProgramStart(const ::testing::UnitTest &) override {
    // Runs on gridlock's detector thread; GoogleTest records failures from any thread in the
    // test that is running.
    gridlock::on_finding([](const finding_summary &f) {
      ADD_FAILURE_AT(f.file.empty() ? "(gridlock)" : f.file.c_str(), static_cast<int>(f.line))
          << "gridlock: " << f.kind << " (" << f.certainty << "): " << f.summary;
    });
  }
  // Actors a test left blocked are leaks of that test (goleak's check).
  void OnTestEnd(const ::testing::TestInfo &) override { gridlock::report_leaks_now(); }
  void OnTestProgramEnd(const ::testing::UnitTest &) override { gridlock::on_finding({}); }
};

// Appends the listener; GoogleTest owns and deletes it. (End events run in reverse order, so its
// OnTestEnd runs before the printer's and a leak shows in that test's verdict.)
inline void install_gtest_listener() {
  ::testing::UnitTest::GetInstance()->listeners().Append(new gtest_listener);
}

} // namespace gridlock::testing
