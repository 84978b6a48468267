// Test support: a test's own scratch directory, removed with everything in it when the object is
// destroyed (a function-local static one at the test binary's exit). Nothing a test makes is left
// in /tmp; GRIDLOCK_KEEP_TEST_FILES=1 keeps the directories for debugging.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace gridlock::testing {

class temp_dir {
public:
  // A fresh directory <parent>/gridlock-<tag>-XXXXXX. Throws std::runtime_error if it cannot be
  // made.
  explicit temp_dir(const std::string &tag,
                    const std::filesystem::path &parent = std::filesystem::temp_directory_path()) {
    std::string tmpl = (parent / ("gridlock-" + tag + "-XXXXXX")).string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
    path_ = tmpl;
  }
  ~temp_dir() {
    if (std::getenv("GRIDLOCK_KEEP_TEST_FILES")) return;
    // A file written while remove_all runs (a late report) makes its final rmdir fail: go again.
    std::error_code ignored;
    for (int attempt = 0; attempt < 3 && std::filesystem::exists(path_, ignored); ++attempt)
      std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir &) = delete;
  temp_dir &operator=(const temp_dir &) = delete;

  const std::filesystem::path &path() const { return path_; }
  std::filesystem::path operator/(const std::string &name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

} // namespace gridlock::testing
