// describe: turning model operations and deadlocks into report findings (shared by the rules).
#pragma once

#include "rule.hpp"

#include <string>

namespace gridlock::analyzer {

// "chan send on 'A->B' (capacity 0)"
std::string op_phrase(const program_model &m, const op &o);
report::location location_of(const op &o);
std::string resource_name(const program_model &m, const op &o);
// Adds the channel or mutex of o to the finding's resources (once).
void add_resource(const program_model &m, const op &o, report::finding &f);
// The actor entry of one step: entry name, operation, resource, location, note.
report::actor_entry step_entry(const program_model &m, const op &o, const std::string &note);
// A finding for a deadlock cycle: one actor entry per step, a note saying what it waits for.
report::finding cycle_finding(const program_model &m, const deadlock &d, const char *kind);

} // namespace gridlock::analyzer
