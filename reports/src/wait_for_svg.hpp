// wait_for_svg: one finding's wait-for graph as an inline SVG element (internal to reports/).
//
// Actors are rounded boxes, resources square ones. An actor's wait is an edge to the resource it
// waits on, labelled with the operation and file:line; the resource has an edge to each actor that
// could release the wait. AND waits (the actor needs all of them) are solid, OR waits (any one
// will do) dashed, as in MUST's legend; the edges and nodes of the cycle are drawn in red.
//
// Layout (no external renderer): the cycle goes around an inner ring in wait order — actor, the
// resource it waits on, the next actor, ... — so the cycle reads clockwise; the other nodes sit on
// an outer ring. Deterministic: the same finding gives the same picture.
//
// Markup contract (the tests and the browser check rely on it): each node is a
// <g class="node actor|resource [cycle]" data-name="...">, each edge a
// <g class="edge and|or|release [cycle]" data-from="..." data-to="...">. Every string is escaped.
#pragma once

#include <gridlock/report/report.hpp>

#include <string>

namespace gridlock::report {

// `id` makes the SVG's element ids unique within a page.
std::string wait_for_svg(const finding &f, const std::string &id);

} // namespace gridlock::report
