// program_index: where the functions of a program are defined, across its translation units, so
// that the evaluator can follow a call from main.cpp into server.cpp (as clang's cross-TU
// analysis does, by USR).
//
// Thread-safety: none; one program_units per checking thread. Cost: a unit's AST is built on its
// first use and kept until the program_units is destroyed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace clang {
class ASTContext;
class ASTUnit;
class Decl;
class FunctionDecl;
} // namespace clang

namespace gridlock::analyzer {

// The USR of a declaration (the same in every unit that declares it); "" if it has none.
std::string usr_of(const clang::Decl &d);

// The functions a unit defines that other units can call: externally visible definitions with a
// body, outside system headers, by USR.
std::map<std::string, const clang::FunctionDecl *> definitions_in(clang::ASTContext &ctx);

// The units of one program, their ASTs built on demand.
class program_units {
public:
  using loader = std::function<std::unique_ptr<clang::ASTUnit>(const std::string &file)>;
  // `defined_in`: USR -> the file of the unit defining it.
  program_units(std::map<std::string, std::string> defined_in, loader load);
  ~program_units();

  // The definition of f in the unit that defines it, nullptr if no unit does (or it does not
  // build).
  const clang::FunctionDecl *definition(const clang::FunctionDecl &f);
  // The AST of `file`'s unit, built on first use; nullptr if it does not build.
  clang::ASTUnit *unit(const std::string &file);

private:
  struct built;
  std::map<std::string, std::string> defined_in_;
  loader load_;
  std::map<std::string, std::unique_ptr<built>> units_;
};

} // namespace gridlock::analyzer
