// Fuzz target: gridlock-report's JSON reader, then every renderer on what it accepted. A report
// either loads or is refused with a one-line std::runtime_error; a loaded report renders in every
// format and survives a JSON round trip unchanged.
#include <gridlock/report/report.hpp>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  gridlock::report::report r;
  try {
    r = gridlock::report::from_json(text);
  } catch (const std::runtime_error &e) {
    if (std::string(e.what()).find('\n') != std::string::npos) std::abort();
    return 0;
  }
  const std::string json = gridlock::report::to_json(r);
  if (gridlock::report::to_json(gridlock::report::from_json(json)) != json) std::abort();
  (void)gridlock::report::to_html(r);
  (void)gridlock::report::to_text(r);
  (void)gridlock::report::to_diagnostics(r);
  (void)gridlock::report::to_sarif(r, "gridlock", "/");
  (void)gridlock::report::to_perfetto(r);
  return 0;
}
