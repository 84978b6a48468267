#include "space_time_svg.hpp"

#include "markup.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace gridlock::report {
namespace {

using markup::esc;
using markup::num;

constexpr double kLeft = 160, kPlot = 860, kLane = 34, kTop = 34;

// Real time -> x, with gaps between consecutive known times compressed logarithmically.
class time_axis {
public:
  explicit time_axis(std::vector<std::int64_t> times) {
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    double pos = 0;
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (i) pos += 1 + std::log1p(static_cast<double>(times[i] - times[i - 1]));
      stops_.emplace_back(times[i], pos);
    }
    span_ = std::max(pos, 1.0);
  }
  double x(std::int64_t t) const {
    if (stops_.empty()) return kLeft;
    auto it = std::lower_bound(stops_.begin(), stops_.end(), std::make_pair(t, -1.0));
    if (it == stops_.end()) return kLeft + kPlot;
    return kLeft + it->second / span_ * kPlot;
  }
  const std::vector<std::pair<std::int64_t, double>> &stops() const { return stops_; }

private:
  std::vector<std::pair<std::int64_t, double>> stops_;
  double span_ = 1;
};

std::string ms(std::int64_t us) {
  std::ostringstream o;
  o.precision(us < 10000 ? 2 : 0);
  o << std::fixed << us / 1000.0 << " ms";
  return o.str();
}

std::string describe(const trace_event &e, const std::map<std::uint64_t, std::string> &names) {
  std::string s = e.actor + " #" + std::to_string(e.seq) + ": " + e.event;
  if (!e.op.empty()) s += " (" + e.op + ")";
  if (!e.resource.empty()) s += " on " + e.resource;
  if (!e.peer.empty()) s += (e.event == "receive" ? " from " : " / ") + e.peer;
  if (!e.where.file.empty()) s += " at " + e.where.file + ":" + std::to_string(e.where.line);
  s += "\nt = " + ms(e.t_us) + ", Lamport " + std::to_string(e.lamport) + ", vector clock [";
  for (std::size_t i = 0; i < e.vc.size(); ++i) {
    auto it = names.find(e.vc[i].first);
    s += (i ? ", " : "") + (it == names.end() ? std::to_string(e.vc[i].first) : it->second) + "=" +
         std::to_string(e.vc[i].second);
  }
  return s + "]";
}

// Lanes: the finding's actors first (in finding order), then the others by first appearance.
std::vector<std::uint64_t> lanes_of(const std::vector<trace_event> &trace, const finding &f,
                                    std::map<std::uint64_t, std::string> &names) {
  std::vector<std::uint64_t> lanes;
  for (const trace_event &e : trace) names.emplace(e.actor_id, e.actor);
  for (const actor_entry &a : f.actors)
    for (const auto &[id, name] : names)
      if (name == a.name && std::find(lanes.begin(), lanes.end(), id) == lanes.end())
        lanes.push_back(id);
  for (const trace_event &e : trace)
    if (std::find(lanes.begin(), lanes.end(), e.actor_id) == lanes.end())
      lanes.push_back(e.actor_id);
  return lanes;
}

} // namespace

std::string space_time_svg(const std::vector<trace_event> &trace, const finding &f,
                           const std::string &id) {
  if (trace.empty()) return "";
  std::map<std::uint64_t, std::string> names;
  const std::vector<std::uint64_t> lanes = lanes_of(trace, f, names);
  std::map<std::uint64_t, double> lane_y;
  for (std::size_t i = 0; i < lanes.size(); ++i) lane_y[lanes[i]] = kTop + kLane * (i + 0.5);

  std::vector<std::int64_t> times;
  for (const trace_event &e : trace) times.push_back(e.t_us);
  const std::int64_t end = f.detected_us.value_or(times.back());
  times.push_back(end);
  if (f.closed_us) times.push_back(*f.closed_us);
  const time_axis axis(times);
  const double height = kTop + kLane * lanes.size() + 30, width = kLeft + kPlot + 30;

  std::ostringstream o;
  o << "<svg class=\"spacetime\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(width)
    << " " << num(height) << "\" width=\"100%\" style=\"max-width:" << num(width)
    << "px\" role=\"img\" aria-label=\"space-time diagram\">\n<defs><marker id=\"msg-" << id
    << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
       "orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" class=\"msghead\"/></marker></defs>\n";
  for (std::uint64_t a : lanes)
    o << "<g class=\"lane\" data-actor=\"" << esc(names[a]) << "\"><text x=\"" << num(kLeft - 10)
      << "\" y=\"" << num(lane_y[a] + 4) << "\">" << esc(markup::shorten(names[a], 22))
      << "</text><line x1=\"" << num(kLeft) << "\" y1=\"" << num(lane_y[a]) << "\" x2=\""
      << num(kLeft + kPlot) << "\" y2=\"" << num(lane_y[a]) << "\"/></g>\n";
  // Blocked intervals: block .. unblock, or .. the detection when it never woke.
  std::map<std::uint64_t, const trace_event *> open;
  const auto shade = [&](const trace_event &b, std::int64_t until) {
    const double x1 = axis.x(b.t_us), x2 = std::max(axis.x(until), x1 + 2);
    o << "<rect class=\"blocked\" x=\"" << num(x1) << "\" y=\"" << num(lane_y[b.actor_id] - 9)
      << "\" width=\"" << num(x2 - x1) << "\" height=\"18\"><title>"
      << esc(describe(b, names) + "\nblocked for " + ms(until - b.t_us)) << "</title></rect>\n";
  };
  for (const trace_event &e : trace) {
    if (e.event == "block") {
      if (auto it = open.find(e.actor_id); it != open.end()) shade(*it->second, e.t_us);
      open[e.actor_id] = &e;
    } else if (e.event == "unblock") {
      if (auto it = open.find(e.actor_id); it != open.end()) {
        shade(*it->second, e.t_us);
        open.erase(it);
      }
    }
  }
  for (const auto &[a, b] : open) shade(*b, end);
  // Messages: send (or post) -> receive of the same message.
  std::map<std::uint64_t, const trace_event *> sends;
  for (const trace_event &e : trace)
    if (e.msg && (e.event == "send" || e.event == "post")) sends[e.msg] = &e;
  for (const trace_event &e : trace) {
    if (!e.msg || e.event != "receive") continue;
    auto s = sends.find(e.msg);
    if (s == sends.end()) continue;
    o << "<line class=\"msg\" x1=\"" << num(axis.x(s->second->t_us)) << "\" y1=\""
      << num(lane_y[s->second->actor_id]) << "\" x2=\"" << num(axis.x(e.t_us)) << "\" y2=\""
      << num(lane_y[e.actor_id]) << "\" marker-end=\"url(#msg-" << id << ")\"><title>"
      << esc("message " + std::to_string(e.msg) + " on " + e.resource + ": " + s->second->actor +
             " -> " + e.actor)
      << "</title></line>\n";
  }
  for (const trace_event &e : trace)
    if (e.event != "unblock")
      o << "<circle class=\"ev " << esc(e.event) << "\" cx=\"" << num(axis.x(e.t_us)) << "\" cy=\""
        << num(lane_y[e.actor_id]) << "\" r=\"3.5\"><title>" << esc(describe(e, names))
        << "</title></circle>\n";
  const auto mark = [&](const char *cls, std::int64_t t, const std::string &label) {
    const double x = axis.x(t);
    o << "<line class=\"mark " << cls << "\" x1=\"" << num(x) << "\" y1=\"" << num(kTop - 14)
      << "\" x2=\"" << num(x) << "\" y2=\"" << num(height - 24) << "\"/><text class=\"mark " << cls
      << "\" x=\"" << num(x) << "\" y=\"" << num(kTop - 18) << "\" text-anchor=\""
      << (x > kLeft + 0.8 * kPlot ? "end" : "middle") << "\">" << esc(label) << "</text>\n";
  };
  if (f.closed_us) mark("closed", *f.closed_us, "cycle closed " + ms(*f.closed_us));
  if (f.detected_us) mark("detected", *f.detected_us, "detected " + ms(*f.detected_us));
  // Ticks: the first and last time and a few between, at real times.
  const auto &stops = axis.stops();
  for (std::size_t k = 0; k < 5 && !stops.empty(); ++k) {
    const std::int64_t t = stops[k * (stops.size() - 1) / 4].first;
    o << "<text class=\"tick\" x=\"" << num(axis.x(t)) << "\" y=\"" << num(height - 8) << "\">"
      << ms(t) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

} // namespace gridlock::report
