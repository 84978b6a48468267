// rule: one gridlock-check rule. Each rule is a file pair in this folder plus one registration
// line in rules.cpp, and has one annotated test input in tests/analyzer/inputs/.
#pragma once

#include "../src/model.hpp"
#include "../src/mpi_simulator.hpp"
#include "../src/order_graph.hpp"

#include <gridlock/report/report.hpp>

#include <map>
#include <string>
#include <vector>

namespace gridlock::analyzer {

struct rule_input {
  const program_model &model;
  const std::vector<deadlock> &deadlocks;
  // --api mpi: the ranks' traces and what the simulator found (nullptr otherwise)
  const mpi::program *mpi = nullptr;
  const std::vector<mpi::issue> *mpi_issues = nullptr;
};

// A rule appends its findings; the registry gives them its id (report::finding::rule), so a rule's
// id and description are written in one place only: the registration line.
struct rule {
  const char *id; // stable, never reused: "gridlock-<name>"
  const char *description;
  void (*check)(const rule_input &in, std::vector<report::finding> &out);
};

// Every rule, in the order their findings are listed.
const std::vector<rule> &registered_rules();

// Runs every rule over `in`, appending their findings (each with its rule's id) to `out`.
void run_rules(const rule_input &in, std::vector<report::finding> &out);

// Each rule's id and description, for the reports' rule lists (SARIF).
std::map<std::string, std::string> rule_descriptions();

} // namespace gridlock::analyzer
