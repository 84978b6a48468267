// Fuzz target: gridlock-check's --api file reader. Any input is a config or a one-line
// std::runtime_error.
#include "api_config.hpp"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  try {
    const auto c = gridlock::analyzer::parse_api(text, "fuzz.json");
    if (c.sends.empty() && c.receives.empty()) std::abort(); // refused, never accepted empty
  } catch (const std::runtime_error &e) {
    if (std::string(e.what()).find('\n') != std::string::npos) std::abort();
  }
  return 0;
}
