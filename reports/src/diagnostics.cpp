#include <gridlock/report/report.hpp>

#include <sstream>

namespace gridlock::report {
namespace {

void position(std::ostringstream &o, const location &l) {
  o << l.file << ":" << l.line << ":" << (l.column ? l.column : 1) << ": ";
}

} // namespace

std::string to_diagnostics(const report &r) {
  std::ostringstream o;
  for (const finding &f : r.findings) {
    if (f.actors.empty()) continue;
    position(o, f.actors.front().where);
    o << "warning: " << f.summary << " [" << (f.rule.empty() ? "gridlock-" + f.kind : f.rule)
      << "]\n";
    for (const actor_entry &a : f.actors) {
      position(o, a.where);
      o << "note: "
        << (a.note.empty() ? "'" + a.name + "' " + a.op + " on '" + a.resource + "'" : a.note)
        << "\n";
    }
  }
  return o.str();
}

} // namespace gridlock::report
