// trip_count: how many times a counted `for` loop runs, when the source fixes it at compile time.
#pragma once

#include <optional>

namespace clang {
class ASTContext;
class ForStmt;
} // namespace clang

namespace gridlock::analyzer::ast {

// The exact iteration count of `for (T i = A; i OP B; STEP)` where OP is <, <=, >, >= or !=,
// STEP is ++i, i++, --i, i--, i += k or i -= k, A, B and k are compile-time constants, and the
// body cannot leave early (no break out of this loop, return, goto or throw) nor assign i.
// nullopt for any other loop. Never more than 2^40 (larger counts are nullopt).
std::optional<long long> trip_count(const clang::ForStmt &loop, const clang::ASTContext &ctx);

} // namespace gridlock::analyzer::ast
