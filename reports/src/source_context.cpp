#include <gridlock/report/report.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace gridlock::report {
namespace {

constexpr std::size_t kMaxLine = 400;     // longer source lines are cut: a report stays readable
constexpr std::size_t kMaxLines = 200000; // lines read per file at most (generated sources)

// Each file is read once (empty: unreadable or not a regular file).
class source_cache {
public:
  const std::vector<std::string> &lines(const std::string &file) {
    auto [it, fresh] = files_.try_emplace(file);
    if (fresh) {
      std::ifstream in(file);
      for (std::string l; it->second.size() < kMaxLines && std::getline(in, l);)
        it->second.push_back(l.size() > kMaxLine ? l.substr(0, kMaxLine) + "..." : l);
    }
    return it->second;
  }

private:
  std::map<std::string, std::vector<std::string>> files_;
};

void attach(location &l, source_cache &cache, unsigned radius) {
  if (l.file.empty() || l.line == 0 || !l.context.empty()) return;
  const auto &lines = cache.lines(l.file);
  if (l.line > lines.size()) return;
  l.first_line = l.line > radius ? l.line - radius : 1;
  const unsigned last = std::min<unsigned>(static_cast<unsigned>(lines.size()), l.line + radius);
  l.context.assign(lines.begin() + (l.first_line - 1), lines.begin() + last);
}

} // namespace

void attach_source_context(report &r, unsigned radius) {
  source_cache cache;
  for (finding &f : r.findings)
    for (actor_entry &a : f.actors) attach(a.where, cache, radius);
}

} // namespace gridlock::report
