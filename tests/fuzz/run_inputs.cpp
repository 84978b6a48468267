// The fuzz targets without libFuzzer: runs LLVMFuzzerTestOneInput on every file named on the
// command line (directories: every file in them). The regular build uses it so that CTest replays
// the seed corpus and every crash the fuzzers ever found (tests/fuzz/regressions/).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {
void run(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
}
} // namespace

int main(int argc, char **argv) {
  std::size_t n = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = argv[i];
    if (std::filesystem::is_directory(arg)) {
      for (const auto &e : std::filesystem::recursive_directory_iterator(arg))
        if (e.is_regular_file()) run(e.path()), ++n;
    } else {
      run(arg), ++n;
    }
  }
  std::printf("%zu inputs ran\n", n);
  return n > 0 ? 0 : 1;
}
