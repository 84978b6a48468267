// Fuzz target: the GRIDLOCK_OPTIONS parser. Any input either parses or throws
// std::invalid_argument with a one-line message naming the problem; the options it was given are
// left unchanged on error.
#include "options.hpp"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  gridlock::detail::options o;
  o.report_dir = "unchanged";
  try {
    gridlock::detail::parse_options(text, o);
  } catch (const std::invalid_argument &e) {
    const std::string what = e.what();
    if (what.empty() || what.find('\n') != std::string::npos) std::abort(); // one line
    if (o.report_dir != "unchanged") std::abort();                          // left unchanged
  }
  return 0;
}
