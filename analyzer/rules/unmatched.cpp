#include "unmatched.hpp"

#include "describe.hpp"

namespace gridlock::analyzer {

void check_unmatched(const rule_input &in, std::vector<report::finding> &out) {
  const program_model &m = in.model;
  for (int i : find_unmatched(m)) {
    const op &o = m.ops[i];
    report::finding f;
    f.kind = "unmatched";
    f.certainty = o.object == -1 ? "definite" : "possible";
    const std::string who = "'" + m.entries[o.entry].name + "'";
    f.summary = o.kind == op_kind::recv ? who + " blocks in " + op_phrase(m, o) +
                                              " but no other actor ever sends to it or closes it"
                                        : who + " blocks in " + op_phrase(m, o) +
                                              " but no other actor ever receives from it";
    f.actors.push_back(step_entry(m, o, f.summary));
    f.cycle = {};
    add_resource(m, o, f);
    out.push_back(std::move(f));
  }
}

} // namespace gridlock::analyzer
