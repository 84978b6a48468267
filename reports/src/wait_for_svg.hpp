// wait_for_svg: one finding's wait-for graph as an inline SVG element (internal to reports/).
//
// Actors are rounded boxes, resources square ones. An actor's wait is an edge to the resource it
// waits on, labelled with the operation and file:line; the resource has an edge to each actor that
// could release the wait. AND waits (the actor needs all of them) are solid, OR waits (any one
// will do) dashed, as in MUST's legend; the edges and nodes of the cycle are drawn in red.
//
// Layout: Graphviz's dot (libgvc + libcgraph, in process: this also runs inside instrumented
// programs), top to bottom, the cycle handed over first in wait order so it starts at the top.
// Graphviz only places boxes: each node's box and each edge label's box are sized here for the
// page's font (erring wide), so dot keeps labels apart from each other and from the nodes; the
// SVG (curves, arrowheads, text at the label positions) is drawn here. Past 300 nodes only the
// cycle (its first 200 nodes; a "…" node stands for the rest of it) and its direct neighbours
// are drawn, with a line counting the actors and resources left out. Layouts are serialized (a
// mutex local to the .cpp: Graphviz is not thread-safe). Deterministic: the same finding gives
// the same picture.
//
// Markup contract (the tests and the browser check rely on it): each node is a
// <g class="node actor|resource [cycle]" data-name="...">, each edge a
// <g class="edge and|or|release [cycle]" data-from="..." data-to="...">; the "…" node is
// <g class="node more cycle" data-name=""> and its edges <g class="edge more cycle" ...>.
// Every string is escaped.
#pragma once

#include <gridlock/report/report.hpp>

#include <string>

namespace gridlock::report {

// `id` makes the SVG's element ids unique within a page.
std::string wait_for_svg(const finding &f, const std::string &id);

} // namespace gridlock::report
