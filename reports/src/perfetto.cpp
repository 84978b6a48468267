// The Chrome trace-event format (the JSON flavour ui.perfetto.dev and chrome://tracing import):
// https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
//
// Layout: one process (the report's program), one thread track per actor (tid = actor id).
//   - "X" slices: each blocked interval of the trace (block .. unblock, or .. the detection when
//     the actor never woke), and zero-length "send"/"receive"/... slices at each event;
//   - "s"/"f" flow events bind each message's send slice to its receive slice;
//   - an "i" global instant where each deadlock was detected.
// Without a trace, each finding's waits become slices ending at a common "now", as long as they
// were reported to have waited. Slices of one track never partially overlap (a thread blocks in one
// wait at a time; events are points).
#include <gridlock/report/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace gridlock::report {
namespace {

using nlohmann::json;

json slice(std::uint64_t tid, std::string name, const char *cat, std::int64_t ts, std::int64_t dur,
           json args) {
  return json{{"ph", "X"},
              {"pid", 1},
              {"tid", tid},
              {"name", std::move(name)},
              {"cat", cat},
              {"ts", ts},
              {"dur", std::max<std::int64_t>(dur, 0)},
              {"args", args}};
}

// The metadata event that names a track.
json thread_name(std::uint64_t tid, const std::string &name) {
  return json{
      {"ph", "M"}, {"pid", 1}, {"tid", tid}, {"name", "thread_name"}, {"args", {{"name", name}}}};
}

json where_args(const location &l) {
  json a = json::object();
  if (!l.file.empty()) a["location"] = l.file + ":" + std::to_string(l.line);
  return a;
}

std::int64_t end_of_trace(const report &r) {
  std::int64_t end = 0;
  for (const trace_event &e : r.trace) end = std::max(end, e.t_us);
  for (const finding &f : r.findings)
    if (f.detected_us) end = std::max(end, *f.detected_us);
  return end;
}

void trace_events(const report &r, json &out) {
  std::map<std::uint64_t, const trace_event *> blocked; // actor -> its open block event
  const auto close = [&](const trace_event &b, std::int64_t end) {
    out.push_back(slice(b.actor_id,
                        "blocked: " + b.op + (b.resource.empty() ? "" : " " + b.resource), "wait",
                        b.t_us, end - b.t_us, where_args(b.where)));
  };
  for (const trace_event &e : r.trace) {
    if (e.event == "block") {
      // An unblock lost to the ring's bound: the earlier wait ended before this one began.
      if (auto it = blocked.find(e.actor_id); it != blocked.end()) close(*it->second, e.t_us);
      blocked[e.actor_id] = &e;
      continue;
    }
    if (e.event == "unblock") {
      if (auto it = blocked.find(e.actor_id); it != blocked.end()) {
        close(*it->second, e.t_us);
        blocked.erase(it);
      }
      continue;
    }
    json args = where_args(e.where);
    args["lamport"] = e.lamport;
    if (!e.peer.empty()) args["peer"] = e.peer;
    out.push_back(slice(e.actor_id, e.event + (e.resource.empty() ? "" : " " + e.resource), "event",
                        e.t_us, 0, args));
    if (e.msg == 0) continue;
    const bool sending = e.event == "send" || e.event == "post";
    json flow{{"ph", sending ? "s" : "f"},
              {"pid", 1},
              {"tid", e.actor_id},
              {"ts", e.t_us},
              {"id", e.msg},
              {"cat", "message"},
              {"name", "message"}};
    if (!sending) flow["bp"] = "e";
    out.push_back(std::move(flow));
  }
  const std::int64_t end = end_of_trace(r);
  for (const auto &[actor, b] : blocked) close(*b, end);
}

// No trace: each finding's waits, ending together at the moment of the report.
void finding_waits(const report &r, json &out, std::map<std::string, std::uint64_t> &tids) {
  std::int64_t longest = 0;
  for (const finding &f : r.findings)
    for (const actor_entry &a : f.actors) longest = std::max(longest, a.waited_ms);
  for (const finding &f : r.findings)
    for (const actor_entry &a : f.actors) {
      if (a.waited_ms < 0) continue;
      const std::uint64_t tid = tids.try_emplace(a.name, tids.size() + 1).first->second;
      out.push_back(slice(tid, f.kind + ": " + a.op + (a.resource.empty() ? "" : " " + a.resource),
                          f.kind.c_str(), (longest - a.waited_ms) * 1000, a.waited_ms * 1000,
                          where_args(a.where)));
    }
}

} // namespace

std::string to_perfetto(const report &r) {
  json events = json::array();
  events.push_back(json{{"ph", "M"},
                        {"pid", 1},
                        {"name", "process_name"},
                        {"args", {{"name", "gridlock: " + r.program}}}});
  std::map<std::string, std::uint64_t> tids; // actor name -> track, without a trace
  if (!r.trace.empty()) {
    std::map<std::uint64_t, std::string> names;
    for (const trace_event &e : r.trace) names.emplace(e.actor_id, e.actor);
    for (const auto &[id, name] : names) events.push_back(thread_name(id, name));
    trace_events(r, events);
  } else {
    finding_waits(r, events, tids);
    for (const auto &[name, id] : tids) events.push_back(thread_name(id, name));
  }
  for (const finding &f : r.findings)
    if (f.detected_us)
      events.push_back(json{{"ph", "i"},
                            {"s", "g"},
                            {"pid", 1},
                            {"ts", *f.detected_us},
                            {"name", f.kind + " detected"},
                            {"args", {{"summary", f.summary}}}});
  const json doc{{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}};
  return doc.dump(1, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace gridlock::report
