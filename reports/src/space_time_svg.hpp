// space_time_svg: a trace as a space-time diagram (internal to reports/).
//
// One horizontal lane per actor (the finding's actors first), time running right. Blocked
// intervals are shaded; each event is a dot whose tooltip gives its Lamport and vector clock; a
// message is an arrow from its send to its receive. Vertical marks show when the finding's cycle
// closed (its last wait began) and when the detector found it.
//
// Time axis: consecutive event times are spaced by log(1 + gap), so a burst of messages and a
// 200 ms wait are both readable; ticks give the real times.
//
// Markup contract (for the tests): <g class="lane" data-actor="...">, <rect class="blocked">,
// <circle class="ev ...">, <line class="msg">, <line class="mark closed|detected">.
#pragma once

#include <gridlock/report/report.hpp>

#include <string>

namespace gridlock::report {

std::string space_time_svg(const std::vector<trace_event> &trace, const finding &f,
                           const std::string &id);

} // namespace gridlock::report
