#include "mpi_describe.hpp"

#include <algorithm>

namespace gridlock::analyzer::mpi {
namespace {

std::string rank_phrase(int peer) {
  switch (peer) {
  case kAny: return "any source";
  case kUnknown: return "a rank gridlock-check cannot evaluate";
  case kProcNull: return "MPI_PROC_NULL";
  case kNoSuchRank: return "a rank that does not exist";
  default: return "rank " + std::to_string(peer);
  }
}

std::string tag_phrase(int tag) {
  if (tag == kAny) return " (any tag)";
  if (tag >= 0) return " (tag " + std::to_string(tag) + ")";
  return "";
}

std::string comm_name(int comm) {
  if (comm == kWorld) return "MPI_COMM_WORLD";
  if (comm == kSelf) return "MPI_COMM_SELF";
  if (comm == kUnknownComm) return "(a communicator gridlock-check cannot evaluate)";
  return "duplicate " + std::to_string(comm - 1) + " of MPI_COMM_WORLD";
}

std::string p2p_phrase(const event &e) {
  if (e.kind == ev_kind::send) return " to " + rank_phrase(e.peer) + tag_phrase(e.tag);
  if (e.kind == ev_kind::recv || e.kind == ev_kind::probe)
    return " from " + rank_phrase(e.peer) + tag_phrase(e.tag);
  return "";
}

} // namespace

std::string short_location(const source_loc &l) {
  std::string file = l.file;
  if (const auto slash = file.rfind('/'); slash != std::string::npos) file.erase(0, slash + 1);
  return file + ":" + std::to_string(l.line);
}

std::string event_phrase(const program &p, int rank, int event) {
  const auto &events = p.ranks[rank].events;
  const mpi::event &e = events[event];
  if (e.kind != ev_kind::wait) return e.call + p2p_phrase(e);
  // A wait: what it waits for. MPI_Sendrecv's own wait reads as the call itself.
  std::string what;
  for (int w : e.waits) {
    const mpi::event &x = events[w];
    const std::string part =
        x.call == e.call && x.where.line == e.where.line
            ? p2p_phrase(x).substr(1)
            : x.call + p2p_phrase(x) + " of line " + std::to_string(x.where.line);
    what += (what.empty() ? "" : " and ") + part;
  }
  return e.call + (what.empty()                                                   ? ""
                   : e.call == "MPI_Sendrecv" || e.call == "MPI_Sendrecv_replace" ? " " + what
                                                                                  : " for " + what);
}

report::finding issue_finding(const program &p, const issue &i, const char *kind) {
  report::finding f;
  f.kind = kind;
  f.certainty = i.uncertain.empty() ? "definite" : "possible";
  for (std::size_t k = 0; k < i.steps.size(); ++k) {
    const step &s = i.steps[k];
    const mpi::event &e = p.ranks[s.rank].events[s.event];
    report::actor_entry a;
    a.name = "rank " + std::to_string(s.rank);
    a.op = e.call;
    a.resource = comm_name(e.comm);
    a.where = report::location::at(e.where.file, e.where.line, e.where.column, e.where.function);
    for (int w : s.waits_for) a.waits_for.push_back("rank " + std::to_string(w));
    a.mode = s.waits_for.size() > 1 && e.kind != ev_kind::collective ? "any" : "all";
    a.note = a.name + (k == 0 ? " blocks in " : " first blocks in ") +
             event_phrase(p, s.rank, s.event) + " at " + short_location(e.where);
    f.actors.push_back(std::move(a));
    const bool seen = std::any_of(f.resources.begin(), f.resources.end(),
                                  [&](const auto &r) { return r.name == comm_name(e.comm); });
    if (!seen) f.resources.push_back({comm_name(e.comm), "communicator", std::nullopt});
  }
  return f;
}

std::vector<const issue *> issues_of(const rule_input &in, issue_kind kind) {
  std::vector<const issue *> out;
  if (!in.mpi_issues) return out;
  for (const issue &i : *in.mpi_issues)
    if (i.kind == kind) out.push_back(&i);
  return out;
}

std::string cycle_phrase(const issue &i) {
  std::string s = "ranks";
  for (const step &x : i.steps) s += " " + std::to_string(x.rank) + " ->";
  return s + " " + std::to_string(i.steps.front().rank);
}

std::string possible_suffix(const issue &i) {
  return i.uncertain.empty() ? "" : " (possible: " + i.uncertain + ")";
}

} // namespace gridlock::analyzer::mpi
