// rule: one gridlock-check rule. Each rule is a file pair in this folder plus one registration
// line in rules.cpp, and has one annotated test input in tests/analyzer/inputs/.
#pragma once

#include "../src/model.hpp"
#include "../src/mpi_simulator.hpp"
#include "../src/order_graph.hpp"

#include <gridlock/report/report.hpp>

#include <vector>

namespace gridlock::analyzer {

struct rule_input {
  const program_model &model;
  const std::vector<deadlock> &deadlocks;
  // --api mpi: the ranks' traces and what the simulator found (nullptr otherwise)
  const mpi::program *mpi = nullptr;
  const std::vector<mpi::issue> *mpi_issues = nullptr;
};

struct rule {
  const char *id; // stable, never reused: "gridlock-<name>"
  const char *description;
  void (*check)(const rule_input &in, std::vector<report::finding> &out);
};

// Every rule, in the order their findings are listed.
const std::vector<rule> &registered_rules();

} // namespace gridlock::analyzer
