// ast_util: the small questions both of gridlock-check's walkers ask of Clang's AST, answered
// once: what an expression is once the wrapping is peeled off, which namespace and class a
// declaration or type belongs to, and where something is in the source.
#pragma once

#include "model.hpp"

#include <clang/AST/Expr.h>
#include <clang/Basic/SourceManager.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

namespace gridlock::analyzer::ast {

// d's simple name; "" for a declaration without one (an operator, a constructor, an anonymous
// namespace or class), on which NamedDecl::getName() asserts.
inline llvm::StringRef name(const clang::NamedDecl *d) {
  return d && d->getIdentifier() ? d->getName() : llvm::StringRef();
}

// e without what does not change which object or value it denotes: parentheses, casts,
// temporaries and their cleanups, copy and move constructions, std::move / forward / ref / cref.
// nullptr for nullptr.
const clang::Expr *strip(const clang::Expr *e);

// True if d is declared in namespace `ns` (inline namespaces such as gridlock's instrumented,
// libstdc++'s __cxx11 or libc++'s __1 are skipped): in_namespace(d, "std").
bool in_namespace(const clang::NamedDecl *d, llvm::StringRef ns);

// The namespace and class (template) name of a type, through references and one pointer:
// {"gridlock", "sender"} for gridlock::sender<int> &. {"", ""} for a type that is not a class.
std::pair<std::string, std::string> class_of(clang::QualType t);

// True if t is one of `names` in namespace `ns`: is_class(t, "std", {"mutex", "timed_mutex"}).
bool is_class(clang::QualType t, llvm::StringRef ns, std::initializer_list<llvm::StringRef> names);

// The first string literal in s, depth first (a name given to a channel, thread or mutex).
std::optional<std::string> literal_in(const clang::Stmt *s);

// Where l is, at its macro expansion, its file an absolute path; an empty location if it has
// none.
source_loc location(const clang::SourceManager &sm, clang::SourceLocation l,
                    const std::string &function = {});

// "file.cpp:12" (the file's name without its folder), "?" without a location.
std::string short_location(const clang::SourceManager &sm, clang::SourceLocation l);

} // namespace gridlock::analyzer::ast
