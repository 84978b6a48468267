#include <gridlock/report/report.hpp>

#include <sstream>

namespace gridlock::report {
namespace {

std::string basename(const std::string &path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void actor_line(std::ostringstream &o, const actor_entry &a, const std::string &indent,
                const char *verb) {
  o << indent << "Actor '" << a.name << "' ";
  if (a.waited_ms >= 0)
    o << verb << " " << a.waited_ms << " ms in ";
  else
    o << "in ";
  o << a.op;
  if (!a.resource.empty()) o << " on '" << a.resource << "'";
  if (!a.where.file.empty()) o << " at " << a.where.file << ":" << a.where.line;
  o << "\n";
  if (!a.waits_for.empty()) {
    o << indent << "  waits for " << (a.mode == "all" ? "all of: " : "");
    for (std::size_t i = 0; i < a.waits_for.size(); ++i)
      o << (i ? ", " : "") << "'" << a.waits_for[i] << "'";
    o << "\n";
  }
  if (!a.note.empty()) o << indent << "  note: " << a.note << "\n";
}

std::string short_location(const finding &f) {
  if (f.actors.empty() || f.actors.front().where.file.empty()) return "";
  const auto &w = f.actors.front().where;
  return " " + basename(w.file) + ":" + std::to_string(w.line);
}

} // namespace

std::string to_text(const report &r) {
  std::ostringstream o;
  for (const finding &f : r.findings) {
    const char *verb = f.kind == "starvation" ? "waited" : "blocked";
    o << "==================\n";
    o << "WARNING: gridlock: " << f.kind << " (pid=" << r.pid
      << (f.id ? ", finding " + std::to_string(f.id) : "") << ")\n";
    o << "  " << f.summary << " [" << f.certainty << "]\n";
    if (f.after) o << "  Consequence: " << consequence(f) << "\n";
    std::size_t first_other = 0;
    if (!f.cycle.empty()) {
      o << "  Cycle of " << f.cycle.size() << " actor" << (f.cycle.size() > 1 ? "s" : "") << ":\n";
      for (; first_other < f.cycle.size() && first_other < f.actors.size(); ++first_other)
        actor_line(o, f.actors[first_other], "    ", verb);
    }
    if (first_other < f.actors.size()) {
      o << (!f.cycle.empty()         ? "  Also blocked because of it:\n"
            : f.kind == "starvation" ? "  Waiting:\n"
                                     : "  Blocked:\n");
      for (std::size_t i = first_other; i < f.actors.size(); ++i)
        actor_line(o, f.actors[i], "    ", verb);
    }
    if (f.bypass_count) {
      o << "  Served instead (" << *f.bypass_count << " times):";
      for (const auto &n : f.served_instead) o << " '" << n << "'";
      o << "\n";
    }
    if (!f.action.empty()) o << "  Action: " << f.action << "\n";
    o << "SUMMARY: gridlock: " << f.kind << " (" << f.certainty << ")" << short_location(f);
    if (!f.cycle.empty()) {
      o << " ";
      for (const auto &c : f.cycle) o << c << " -> ";
      o << f.cycle.front();
    }
    o << "\n==================\n";
  }
  return o.str();
}

} // namespace gridlock::report
