#include "trip_count.hpp"

#include "ast_util.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/StmtCXX.h>

namespace gridlock::analyzer::ast {

using namespace clang;

namespace {

constexpr long long kMaxTrips = 1LL << 40;

std::optional<long long> constant(const Expr *e, const ASTContext &ctx) {
  Expr::EvalResult r;
  if (!e || e->isValueDependent() || !e->EvaluateAsInt(r, ctx)) return std::nullopt;
  const llvm::APSInt &v = r.Val.getInt();
  if (v.getSignificantBits() > 48) return std::nullopt;
  return v.getExtValue();
}

bool names(const Expr *e, const VarDecl *v) {
  const auto *ref = dyn_cast_or_null<DeclRefExpr>(strip(e));
  return ref && ref->getDecl() == v;
}

// The step added to i each iteration, 0 when STEP is not one of the forms above.
long long step_of(const Expr *inc, const VarDecl *i, const ASTContext &ctx) {
  inc = inc ? inc->IgnoreParenImpCasts() : nullptr;
  if (const auto *u = dyn_cast_or_null<UnaryOperator>(inc); u && names(u->getSubExpr(), i))
    return u->isIncrementOp() ? 1 : u->isDecrementOp() ? -1 : 0;
  if (const auto *c = dyn_cast_or_null<CompoundAssignOperator>(inc); c && names(c->getLHS(), i)) {
    const auto k = constant(c->getRHS(), ctx);
    if (!k) return 0;
    return c->getOpcode() == BO_AddAssign ? *k : c->getOpcode() == BO_SubAssign ? -*k : 0;
  }
  return 0;
}

// Does s leave the loop whose body it is other than by the condition, or assign i?
bool leaves_or_assigns(const Stmt *s, const VarDecl *i, bool in_nested_breakable) {
  if (!s) return false;
  if (isa<ReturnStmt>(s) || isa<GotoStmt>(s) || isa<CXXThrowExpr>(s) || isa<IndirectGotoStmt>(s))
    return true;
  if (isa<BreakStmt>(s)) return !in_nested_breakable;
  if (const auto *b = dyn_cast<BinaryOperator>(s);
      b && b->isAssignmentOp() && names(b->getLHS(), i))
    return true;
  if (const auto *u = dyn_cast<UnaryOperator>(s);
      u && u->isIncrementDecrementOp() && names(u->getSubExpr(), i))
    return true;
  const bool nested = in_nested_breakable || isa<ForStmt>(s) || isa<WhileStmt>(s) ||
                      isa<DoStmt>(s) || isa<SwitchStmt>(s) || isa<CXXForRangeStmt>(s);
  for (const Stmt *child : s->children())
    if (leaves_or_assigns(child, i, nested)) return true;
  return false;
}

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; } // a >= 0, b > 0

} // namespace

std::optional<long long> trip_count(const ForStmt &loop, const ASTContext &ctx) {
  const auto *init = dyn_cast_or_null<DeclStmt>(loop.getInit());
  const auto *i = init && init->isSingleDecl() ? dyn_cast<VarDecl>(init->getSingleDecl()) : nullptr;
  const auto *cond = dyn_cast_or_null<BinaryOperator>(
      loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
  if (!i || !cond || !names(cond->getLHS(), i)) return std::nullopt;
  const auto a = constant(i->getInit(), ctx), b = constant(cond->getRHS(), ctx);
  const long long s = step_of(loop.getInc(), i, ctx);
  if (!a || !b || s == 0 || leaves_or_assigns(loop.getBody(), i, false)) return std::nullopt;
  const long long up = s > 0 ? *b - *a : *a - *b, k = s > 0 ? s : -s;
  std::optional<long long> n;
  switch (cond->getOpcode()) {
  case BO_LT:
  case BO_GT:
    if ((cond->getOpcode() == BO_LT) == (s > 0)) n = up <= 0 ? 0 : ceil_div(up, k);
    break;
  case BO_LE:
  case BO_GE:
    if ((cond->getOpcode() == BO_LE) == (s > 0)) n = up < 0 ? 0 : up / k + 1;
    break;
  case BO_NE:
    if (up >= 0 && up % k == 0) n = up / k;
    break;
  default: break;
  }
  if (n && *n > kMaxTrips) return std::nullopt;
  return n;
}

} // namespace gridlock::analyzer::ast
