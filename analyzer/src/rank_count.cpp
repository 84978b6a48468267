#include "rank_count.hpp"

#include <regex>
#include <string>

namespace gridlock::analyzer::mpi {
namespace {

// The count on one launch line ("mpirun --oversubscribe -np 4 ./ring"), if it has one.
std::optional<int> count_on(std::string_view line) {
  // Only launch lines go through the regex: libstdc++'s regex recurses per character.
  static const std::regex count(R"(\s(?:-np|-n|--np|--ntasks)[ =]?(\d{1,7})\b)");
  std::cmatch m;
  if (!std::regex_search(line.begin(), line.end(), m, count)) return std::nullopt;
  return std::stoi(m[1].str());
}

} // namespace

std::optional<int> ranks_in_source(std::string_view source) {
  std::size_t first = std::string_view::npos;
  std::optional<int> n;
  for (const char *launcher : {"mpirun", "mpiexec", "srun"})
    for (std::size_t at = source.find(launcher); at < first; at = source.find(launcher, at + 1)) {
      std::string_view line = source.substr(at, 200);
      if (const auto c = count_on(line.substr(0, line.find('\n')))) {
        first = at;
        n = c;
      }
    }
  if (n && (*n < 1 || *n > kMaxRanks)) return std::nullopt;
  return n;
}

} // namespace gridlock::analyzer::mpi
