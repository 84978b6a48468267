// Options: known keys are accepted, unknown keys and bad values are rejected by name.
#include <gridlock/gridlock.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {
std::string error_of(const std::string &text) {
  try {
    gridlock::configure(text);
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}
} // namespace

TEST(Options, AcceptsEveryDocumentedKey) {
  EXPECT_EQ(
      error_of("detect_delay_ms=300:starvation_ms=1000:starvation_bypass=5:on_deadlock=report:"
               "report_leaks=0:report_dir=/tmp:report_format=text,json,html:exitcode=3:trace=0:aging=50:"
               "verbosity=1"),
      "");
  EXPECT_EQ(error_of("on_deadlock=abort"), "");
  EXPECT_EQ(error_of("on_deadlock=break"), "");
  EXPECT_EQ(error_of(""), "");
}

TEST(Options, UnknownKeyIsNamed) {
  EXPECT_EQ(error_of("detect_delay_ms=10:no_such_key=1"), "unknown option 'no_such_key'");
}

TEST(Options, BadValueIsNamedWithWhatWasExpected) {
  EXPECT_EQ(error_of("on_deadlock=explode"),
            "bad value 'explode' for option 'on_deadlock' (expected report, abort or break)");
  EXPECT_NE(error_of("detect_delay_ms=abc").find("'detect_delay_ms'"), std::string::npos);
  EXPECT_NE(error_of("detect_delay_ms=0").find("'detect_delay_ms'"), std::string::npos);
  EXPECT_NE(error_of("exitcode=256").find("'exitcode'"), std::string::npos);
  EXPECT_NE(error_of("report_format=pdf").find("'report_format'"), std::string::npos);
  EXPECT_NE(error_of("trace=maybe").find("'trace'"), std::string::npos);
}

TEST(Options, MissingValueIsAnError) {
  EXPECT_NE(error_of("verbosity").find("'verbosity'"), std::string::npos);
}
