// heap: the abstract memory the evaluator runs a program in.
//
// Every object the program has — a local or global variable, a parameter, a field, a temporary, a
// lambda's closure, an object made by `new` or make_unique — is one `cell`, named by its index.
// A cell holds either a scalar `value` (an integer, a pointer, a channel end, a function) or, for
// an object of a class the evaluator looks into, its fields: each field (or a closure's captured
// variable) is a cell of its own, made on first use. References are not cells: a reference
// variable, parameter or field names the cell it is bound to. The identity of a mutex or a
// mailbox is its cell, so two objects holding a reference to one mutex lock the same one.
//
// Invariant: cells are never freed during one evaluation, so an index stays valid; a value that
// refers to a cell (an address) refers to the same object wherever it is copied.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class CXXRecordDecl;
class FunctionDecl;
} // namespace clang

namespace gridlock::analyzer::engine {

// What an expression evaluates to.
struct value {
  enum class kind {
    unknown,  // not known at compile time; `why` says why ("argc", "the result of rand()")
    number,   // an integer, a bool, an enumerator
    address,  // a pointer to `cell`, or an object of class type (then `cell` is the object)
    function, // a function or a member function: `fn`
    end,      // a channel end: channel `n`, its sending end if `send_end`
  } k = kind::unknown;
  long long n = 0;
  int cell = -1;
  bool send_end = false;
  const clang::FunctionDecl *fn = nullptr;
  std::string why;
  int origin = -1; // unknown: the op (of the current actor) whose result it is, a receive's

  static value unknown(std::string why) {
    return {kind::unknown, 0, -1, false, nullptr, std::move(why)};
  }
  static value number(long long v) { return {kind::number, v, -1, false, nullptr, {}}; }
  static value address(int cell) { return {kind::address, 0, cell, false, nullptr, {}}; }
  static value function(const clang::FunctionDecl *f) {
    return {kind::function, 0, -1, false, f, {}};
  }
  static value end(int channel, bool sender) {
    return {kind::end, channel, -1, sender, nullptr, {}};
  }

  bool known() const { return k == kind::number; }
  // Same value (the reasons of two unknowns do not matter).
  bool same(const value &o) const {
    return k == o.k && n == o.n && cell == o.cell && send_end == o.send_end && fn == o.fn;
  }
};

struct cell {
  value v;                                    // a scalar's value
  std::map<const void *, int> fields;         // an object's fields (FieldDecl or captured Decl)
  const clang::CXXRecordDecl *type = nullptr; // an object's dynamic class, once constructed
  std::string name;                           // the variable or field it is ("mu_", "jobs")
  int resource = -1; // the mutex or mailbox it is, once the program used it as one
  // a lock guard (or a mutex locked by hand): the (mutex, lock op) pairs it holds now
  std::vector<std::pair<int, int>> held;
  bool guard = false;             // a lock guard: leaving its scope unlocks what it holds
  std::vector<const void *> refs; // fields that are references: they name cells, not own them
  int this_cell = -1;             // a closure: the object its `this` capture refers to
};

using heap = std::vector<cell>;

// The key, among an optional's fields, of the object it holds when that is known apart from
// whether it holds one (a received message whose content is known).
inline const void *held_key() {
  static const char tag = 0;
  return &tag;
}

} // namespace gridlock::analyzer::engine
