#include "rank_interpreter.hpp"

#include "ast_util.hpp"

#include "mpi_calls.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <map>
#include <optional>

namespace gridlock::analyzer::mpi {
namespace {

using namespace clang;
using ast::strip;

constexpr long kMaxSteps = 2'000'000; // statements evaluated per rank
// MPI operations per rank: 100,000, or fewer with many ranks (4,000,000 in all).
constexpr std::size_t kMaxEvents = 100'000, kMaxAllEvents = 4'000'000;
constexpr long kMaxIterations = 10'000; // per loop
constexpr int kMaxDepth = 16;           // nested calls of the program's own functions

// A variable's storage: the call frame it lives in (0: globals) and its declaration.
struct slot {
  int frame = 0;
  const VarDecl *var = nullptr;
  auto operator<=>(const slot &) const = default;
};

// What an expression evaluates to.
struct value {
  enum class kind { unknown, number, any, proc_null, address } k = kind::unknown;
  long long n = 0;
  slot addr;       // address: the variable pointed to
  std::string why; // unknown: why ("argc", "the result of atoi() at ring.c:9")

  static value number(long long v) { return {kind::number, v, {}, {}}; }
  static value unknown(std::string why) { return {kind::unknown, 0, {}, std::move(why)}; }
  bool known() const { return k == kind::number; }
};

// A request handle: an MPI_Request variable, or one element of an array of them.
constexpr long long kWholeArray = -1, kScalar = -2, kUnknownIndex = -3;
using request_key = std::pair<const VarDecl *, long long>;

// Everything an unknown branch may change, so it can be evaluated on a copy.
// (The operations recorded are kept apart: a branch's are moved aside, not copied.)
struct state {
  std::vector<std::map<const VarDecl *, value>> frames{1};
  std::map<request_key, std::vector<int>> requests; // handle -> the events it completes
  int dups = 0;
  std::string approx; // why every later operation is uncertain ("" while all is known)
  bool stopped = false;
  value ret;
};

// Does a statement contain MPI communication (directly or through the program's functions)?
class mpi_finder {
public:
  explicit mpi_finder(const SourceManager &sm) : sm_(sm) {}

  bool in(const Stmt *s) {
    if (!s) return false;
    if (const auto *c = dyn_cast<CallExpr>(s); c && call_communicates(c)) return true;
    for (const Stmt *child : s->children())
      if (in(child)) return true;
    return false;
  }

  // The definition of a function of the program (not of a system header) with a body.
  const FunctionDecl *own_definition(const FunctionDecl *f) const {
    if (!f) return nullptr;
    const FunctionDecl *def = f->getDefinition();
    if (!def || !def->hasBody() || sm_.isInSystemHeader(def->getLocation())) return nullptr;
    return def;
  }

private:
  bool call_communicates(const CallExpr *c) {
    const FunctionDecl *f = c->getDirectCallee();
    if (!f) return !isa<CXXPseudoDestructorExpr>(c->getCallee()); // a function pointer: may
    const std::string name = f->getNameAsString();
    if (name.rfind("MPI_", 0) == 0) {
      const signature *sig = find_signature(name);
      return !sig || (sig->what != role::local && sig->what != role::comm_rank &&
                      sig->what != role::comm_size);
    }
    const FunctionDecl *def = own_definition(f);
    if (!def) return false;
    const auto [it, fresh] = memo_.try_emplace(def, false);
    if (fresh) it->second = in(def->getBody()); // recursion sees `false` meanwhile
    return it->second;
  }

  const SourceManager &sm_;
  std::map<const FunctionDecl *, bool> memo_;
};

// Interprets the program for one rank.
class rank_eval {
public:
  rank_eval(ASTContext &ctx, int rank, int np, std::set<std::string> &remarks, mpi_finder &mpi)
      : ctx_(ctx), sm_(ctx.getSourceManager()), rank_(rank), np_(np), remarks_(remarks), mpi_(mpi) {
  }

  rank_trace run(const FunctionDecl &entry) {
    st_.frames.emplace_back();
    for (const ParmVarDecl *p : entry.parameters())
      st_.frames.back()[p] = value::unknown(p->getNameAsString() + " (program input)");
    current_function_ = entry.getNameAsString();
    exec(entry.getBody());
    rank_trace t;
    t.events = std::move(events_);
    t.finished = !gave_up_;
    t.approximate = st_.approx;
    return t;
  }

private:
  enum class flow { normal, brk, cont, ret };

  // --- where and why ------------------------------------------------------------------------

  std::string where(SourceLocation loc) const { return ast::short_location(sm_, loc); }

  source_loc location(const Stmt *s, const std::string &function) const {
    return ast::location(sm_, s->getBeginLoc(), function);
  }

  void remark(const Stmt *s, const std::string &what) {
    const source_loc l = location(s, "");
    const std::string at =
        l.file.empty() ? "<unknown>"
                       : l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
    remarks_.insert(at + ": remark: " + what + " [gridlock-mpi]");
  }

  // From here on, every operation of this rank is uncertain for this reason.
  void approximate(const std::string &why) {
    if (st_.approx.empty()) st_.approx = why;
  }

  void give_up(const Stmt *s, const std::string &why) {
    remark(s, why);
    approximate(why + " at " + where(s->getBeginLoc()));
    gave_up_ = true;
    st_.stopped = true;
  }

  // --- variables ----------------------------------------------------------------------------

  std::optional<slot> find(const VarDecl *v) {
    for (int f = static_cast<int>(st_.frames.size()) - 1; f >= 0; --f)
      if (st_.frames[f].count(v)) return slot{f, v};
    if (v->hasGlobalStorage()) { // first use of a global or static: its initial value
      value init = value::number(0);
      if (const Expr *e = v->getInit()) init = eval(e);
      st_.frames[0][v] = init;
      return slot{0, v};
    }
    return std::nullopt;
  }

  value load(const VarDecl *v) {
    const auto s = find(v);
    if (!s) return value::unknown("'" + v->getNameAsString() + "' (not evaluated)");
    return st_.frames[s->frame][v];
  }

  // The value in a slot; unknown if its frame has returned (a pointer that outlived its target).
  value at(const slot &s) const {
    if (s.frame >= static_cast<int>(st_.frames.size())) return value::unknown("a dangling pointer");
    const auto it = st_.frames[s.frame].find(s.var);
    return it == st_.frames[s.frame].end() ? value::unknown("memory behind a pointer") : it->second;
  }

  void store(const slot &s, value v) {
    if (s.frame < static_cast<int>(st_.frames.size())) st_.frames[s.frame][s.var] = std::move(v);
  }

  // The variable an lvalue expression names (x, *p with p = &x), if gridlock-check follows it.
  std::optional<slot> lvalue(const Expr *e) {
    e = strip(e);
    if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
      const auto *v = dyn_cast<VarDecl>(d->getDecl());
      if (!v) return std::nullopt;
      if (v->getType()->isReferenceType()) { // a reference bound to a variable
        const value r = load(v);
        if (r.k == value::kind::address) return r.addr;
        return std::nullopt;
      }
      if (auto s = find(v)) return s;
      st_.frames.back()[v] = value::unknown("'" + v->getNameAsString() + "'");
      return slot{static_cast<int>(st_.frames.size()) - 1, v};
    }
    if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_Deref) {
      const value p = eval(u->getSubExpr());
      if (p.k == value::kind::address) return p.addr;
    }
    return std::nullopt;
  }

  void declare(const VarDecl *v) {
    value init = value::unknown("'" + v->getNameAsString() + "' (uninitialised)");
    if (v->getType()->isReferenceType() && v->getInit()) {
      if (auto s = lvalue(v->getInit())) init = value{value::kind::address, 0, *s, {}};
    } else if (const Expr *e = v->getInit())
      init = eval(e);
    if (v->isStaticLocal()) {
      if (!st_.frames[0].count(v)) st_.frames[0][v] = init;
      return;
    }
    st_.frames.back()[v] = init;
  }

  // Variables a statement may change: assigned, incremented, or passed by address.
  void havoc(const Stmt *s, const std::string &why) {
    if (!s) return;
    const Expr *target = nullptr;
    if (const auto *b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp())
      target = b->getLHS();
    else if (const auto *u = dyn_cast<UnaryOperator>(s);
             u && (u->isIncrementDecrementOp() || u->getOpcode() == UO_AddrOf))
      target = u->getSubExpr();
    if (target)
      if (const auto *d = dyn_cast<DeclRefExpr>(strip(target)))
        if (const auto *v = dyn_cast<VarDecl>(d->getDecl()))
          if (auto sl = find(v)) store(*sl, value::unknown(why));
    for (const Stmt *c : s->children()) havoc(c, why);
  }

  // --- statements ---------------------------------------------------------------------------

  flow exec(const Stmt *s) {
    if (!s || st_.stopped) return flow::normal;
    if (++steps_ > kMaxSteps) {
      give_up(s, "evaluation budget of " + std::to_string(kMaxSteps) + " statements used up");
      return flow::normal;
    }
    if (const auto *c = dyn_cast<CompoundStmt>(s)) {
      for (const Stmt *x : c->body()) {
        const flow f = exec(x);
        if (f != flow::normal || st_.stopped) return f;
      }
      return flow::normal;
    }
    if (const auto *d = dyn_cast<DeclStmt>(s)) {
      for (const Decl *x : d->decls())
        if (const auto *v = dyn_cast<VarDecl>(x)) declare(v);
      return flow::normal;
    }
    if (const auto *i = dyn_cast<IfStmt>(s)) return exec_if(i);
    if (const auto *w = dyn_cast<WhileStmt>(s)) {
      if (const VarDecl *v = w->getConditionVariable()) declare(v);
      return exec_loop(s, w->getCond(), w->getBody(), nullptr, false);
    }
    if (const auto *d = dyn_cast<DoStmt>(s))
      return exec_loop(s, d->getCond(), d->getBody(), nullptr, true);
    if (const auto *f = dyn_cast<ForStmt>(s)) {
      exec(f->getInit());
      return exec_loop(s, f->getCond(), f->getBody(), f->getInc(), false);
    }
    if (isa<BreakStmt>(s)) return flow::brk;
    if (isa<ContinueStmt>(s)) return flow::cont;
    if (const auto *r = dyn_cast<ReturnStmt>(s)) {
      st_.ret = r->getRetValue() ? eval(r->getRetValue()) : value::unknown("void");
      return flow::ret;
    }
    if (const auto *sw = dyn_cast<SwitchStmt>(s)) return exec_switch(sw);
    if (const auto *range = dyn_cast<CXXForRangeStmt>(s)) { // elements are not evaluated
      eval(range->getRangeInit());
      return exec_unknown_loop(s, range->getBody(), 0, "the size of a range");
    }
    if (const auto *l = dyn_cast<LabelStmt>(s)) return exec(l->getSubStmt());
    if (const auto *a = dyn_cast<AttributedStmt>(s)) return exec(a->getSubStmt());
    if (const auto *t = dyn_cast<CXXTryStmt>(s)) return exec(t->getTryBlock());
    if (const auto *e = dyn_cast<Expr>(s)) {
      eval(e);
      return flow::normal;
    }
    if (isa<NullStmt>(s)) return flow::normal;
    // Anything else (goto, asm, ...) may change what runs next: later operations are uncertain.
    const std::string what =
        std::string("a ") + s->getStmtClassName() + " statement is not evaluated";
    skip(s, what);
    approximate(what + " at " + where(s->getBeginLoc()));
    return flow::normal;
  }

  // A construct not evaluated: a remark, and later operations are uncertain if it communicates.
  void skip(const Stmt *s, const std::string &what) {
    remark(s, what);
    if (mpi_.in(s)) approximate(what + " at " + where(s->getBeginLoc()));
    havoc(s, what);
  }

  flow exec_if(const IfStmt *i) {
    exec(i->getInit());
    if (const VarDecl *v = i->getConditionVariable()) declare(v);
    const value c = eval(i->getCond());
    if (st_.stopped) return flow::normal;
    if (c.known()) return exec(c.n ? i->getThen() : i->getElse());
    return exec_unknown_branch(i, i->getThen(), i->getElse(), c.why);
  }

  // Both sides of a branch gridlock-check cannot decide, each on a copy of the state; then the
  // side that goes on (the other only leaves), or the 'then' side with the reason recorded.
  flow exec_unknown_branch(const Stmt *at, const Stmt *then, const Stmt *other,
                           const std::string &why) {
    const std::string reason = "the branch at " + where(at->getBeginLoc()) + " depends on " + why;
    const state before = st_;
    const std::size_t first = events_.size();
    const flow f_then = exec(then);
    state after_then = std::move(st_);
    std::vector<event> then_events(std::make_move_iterator(events_.begin() + first),
                                   std::make_move_iterator(events_.end()));
    events_.resize(first);
    st_ = before;
    const flow f_other = exec(other);
    const bool then_leaves = f_then == flow::ret || after_then.stopped;
    const bool other_leaves = f_other == flow::ret || st_.stopped;
    const auto take_then = [&] {
      st_ = std::move(after_then);
      events_.resize(first);
      std::move(then_events.begin(), then_events.end(), std::back_inserter(events_));
    };
    if (then_leaves != other_leaves) { // an early exit: assume the program goes on
      if (!other_leaves) return f_other;
      take_then();
      return f_then;
    }
    if (then_events.empty() && events_.size() == first) { // no communication: merge the values
      merge(after_then, reason);
      return f_then == f_other ? f_then : flow::normal;
    }
    take_then();
    for (std::size_t e = first; e < events_.size(); ++e)
      if (events_[e].uncertain.empty())
        events_[e].uncertain = reason + "; its 'then' side was assumed";
    approximate(reason);
    return f_then;
  }

  // Keeps the values both sides agree on; the others become unknown.
  void merge(const state &other, const std::string &why) {
    for (std::size_t f = 0; f < st_.frames.size() && f < other.frames.size(); ++f)
      for (auto &[v, val] : st_.frames[f]) {
        const auto it = other.frames[f].find(v);
        if (it == other.frames[f].end()) continue;
        const value &o = it->second;
        if (o.k != val.k || o.n != val.n || o.addr != val.addr) val = value::unknown(why);
      }
  }

  flow exec_loop(const Stmt *loop, const Expr *cond, const Stmt *body, const Expr *inc,
                 bool do_while) {
    for (long it = 0;; ++it) {
      if (cond && (!do_while || it > 0)) {
        const value c = eval(cond);
        if (st_.stopped) return flow::normal;
        if (c.known() && !c.n) return flow::normal;
        if (!c.known()) return exec_unknown_loop(loop, body, it, c.why);
      }
      if (it == kMaxIterations) {
        const std::string why = "the loop at " + where(loop->getBeginLoc()) + " ran " +
                                std::to_string(kMaxIterations) + " times; not followed further";
        remark(loop, why);
        if (mpi_.in(body)) approximate(why);
        havoc(body, why);
        return flow::normal;
      }
      const flow f = exec(body);
      if (f == flow::brk) return flow::normal;
      if (f == flow::ret || st_.stopped) return f;
      if (inc) eval(inc);
    }
  }

  flow exec_unknown_loop(const Stmt *loop, const Stmt *body, long done, const std::string &why) {
    const std::string reason = "the loop at " + where(loop->getBeginLoc()) +
                               " runs a number of times that depends on " + why;
    if (mpi_.in(body)) {
      approximate(reason + (done == 0 ? "; followed once" : ""));
      if (done == 0) {
        const flow f = exec(body);
        if (f == flow::ret) return f;
      }
    }
    havoc(body, reason);
    return flow::normal;
  }

  flow exec_switch(const SwitchStmt *sw) {
    exec(sw->getInit());
    if (const VarDecl *v = sw->getConditionVariable()) declare(v);
    const value c = eval(sw->getCond());
    const auto *body = dyn_cast_or_null<CompoundStmt>(sw->getBody());
    if (!c.known() || !body) {
      skip(sw, "a switch on " + (c.known() ? std::string("a non-block body") : c.why) +
                   " is not evaluated");
      return flow::normal;
    }
    // Find the case label (or default) to start at, then run on (fall through) until a break.
    const Stmt *start = nullptr;
    for (const Stmt *x : body->body())
      for (const Stmt *label = x; isa_and_nonnull<SwitchCase>(label);
           label = cast<SwitchCase>(label)->getSubStmt()) {
        if (const auto *cs = dyn_cast<CaseStmt>(label)) {
          const value v = eval(cs->getLHS());
          if (!start && v.known() && v.n == c.n) start = x;
        } else if (!start && isa<DefaultStmt>(label) && !default_after(body, x, c.n))
          start = x;
      }
    bool running = false;
    for (const Stmt *x : body->body()) {
      running = running || x == start;
      if (!running) continue;
      const Stmt *s = x;
      while (const auto *label = dyn_cast<SwitchCase>(s)) s = label->getSubStmt();
      const flow f = exec(s);
      if (f == flow::brk) return flow::normal;
      if (f != flow::normal || st_.stopped) return f;
    }
    return flow::normal;
  }

  // Is there a case for `value` after the default label at `x`? (Then the default is not taken.)
  bool default_after(const CompoundStmt *body, const Stmt *x, long long v) {
    bool after = false;
    for (const Stmt *y : body->body()) {
      after = after || y == x;
      if (!after) continue;
      for (const Stmt *label = y; isa_and_nonnull<SwitchCase>(label);
           label = cast<SwitchCase>(label)->getSubStmt())
        if (const auto *cs = dyn_cast<CaseStmt>(label)) {
          const value c = eval(cs->getLHS());
          if (c.known() && c.n == v) return true;
        }
    }
    return false;
  }

  // --- expressions --------------------------------------------------------------------------

  // MPI's special constants, recognised by the macro that spells them.
  std::optional<value> mpi_constant(const Expr *e) const {
    SourceLocation loc = e->getBeginLoc();
    if (!loc.isMacroID() || sm_.getExpansionLoc(loc) != sm_.getExpansionLoc(e->getEndLoc()))
      return std::nullopt;
    for (int depth = 0; loc.isMacroID() && depth < 8; ++depth) {
      const StringRef name = Lexer::getImmediateMacroName(loc, sm_, ctx_.getLangOpts());
      if (name == "MPI_ANY_SOURCE" || name == "MPI_ANY_TAG")
        return value{value::kind::any, 0, {}, {}};
      if (name == "MPI_PROC_NULL") return value{value::kind::proc_null, 0, {}, {}};
      if (name == "MPI_COMM_WORLD") return value::number(kWorld);
      if (name == "MPI_COMM_SELF") return value::number(kSelf);
      loc = sm_.getImmediateMacroCallerLoc(loc);
    }
    return std::nullopt;
  }

  value eval(const Expr *e) {
    if (!e || st_.stopped) return value::unknown("nothing");
    if (auto c = mpi_constant(e)) return *c;
    e = e->IgnoreParens();
    if (const auto *c = dyn_cast<CastExpr>(e)) {
      if (c->getCastKind() == CK_LValueToRValue || c->getCastKind() == CK_NoOp ||
          c->getType()->isIntegralOrEnumerationType() || c->getType()->isPointerType() ||
          c->getType()->isBooleanType())
        return eval(c->getSubExpr());
      return value::unknown("a conversion at " + where(e->getBeginLoc()));
    }
    if (const auto *d = dyn_cast<DeclRefExpr>(e)) return eval_ref(d);
    if (const auto *u = dyn_cast<UnaryOperator>(e)) return eval_unary(u);
    if (const auto *b = dyn_cast<BinaryOperator>(e)) return eval_binary(b);
    if (const auto *c = dyn_cast<ConditionalOperator>(e)) {
      const value cond = eval(c->getCond());
      if (cond.known()) return eval(cond.n ? c->getTrueExpr() : c->getFalseExpr());
      const value a = eval(c->getTrueExpr()), b = eval(c->getFalseExpr());
      if (a.k == b.k && a.n == b.n && a.k != value::kind::unknown) return a;
      return value::unknown(cond.why);
    }
    if (const auto *call = dyn_cast<CallExpr>(e)) return eval_call(call);
    if (const auto *w = dyn_cast<ExprWithCleanups>(e)) return eval(w->getSubExpr());
    if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(e)) return eval(m->getSubExpr());
    if (const auto *b = dyn_cast<CXXBoolLiteralExpr>(e)) return value::number(b->getValue());
    if (const auto *d = dyn_cast<CXXDefaultArgExpr>(e)) return eval(d->getExpr());
    if (isa<CXXConstructExpr, InitListExpr>(e)) { // arguments may have effects (i++)
      for (const Stmt *c : e->children())
        if (const auto *x = dyn_cast_or_null<Expr>(c)) eval(x);
      return value::unknown("an object at " + where(e->getBeginLoc()));
    }
    return constant_or_unknown(e);
  }

  value constant_or_unknown(const Expr *e) {
    if (!e->isValueDependent() && !e->isTypeDependent() &&
        e->getType()->isIntegralOrEnumerationType()) {
      Expr::EvalResult r;
      if (e->EvaluateAsInt(r, ctx_, Expr::SE_NoSideEffects) && r.Val.isInt())
        return value::number(r.Val.getInt().getExtValue());
    }
    havoc(e, "changed at " + where(e->getBeginLoc()));
    if (isa<ArraySubscriptExpr>(e))
      return value::unknown("an array element at " + where(e->getBeginLoc()));
    if (isa<MemberExpr>(e)) return value::unknown("a struct field at " + where(e->getBeginLoc()));
    return value::unknown("the expression at " + where(e->getBeginLoc()));
  }

  value eval_ref(const DeclRefExpr *d) {
    if (const auto *c = dyn_cast<EnumConstantDecl>(d->getDecl()))
      return value::number(c->getInitVal().getExtValue());
    const auto *v = dyn_cast<VarDecl>(d->getDecl());
    if (!v) return value::unknown("'" + d->getDecl()->getNameAsString() + "'");
    if (v->getType()->isArrayType()) { // an array decays to the address of its first element
      if (auto s = find(v)) return value{value::kind::address, 0, *s, {}};
      return value::unknown("an array");
    }
    const value r = load(v);
    if (v->getType()->isReferenceType() && r.k == value::kind::address) return at(r.addr);
    return r;
  }

  value eval_unary(const UnaryOperator *u) {
    switch (u->getOpcode()) {
    case UO_AddrOf:
      if (auto s = lvalue(u->getSubExpr())) return value{value::kind::address, 0, *s, {}};
      return value::unknown("an address");
    case UO_Deref: {
      const value p = eval(u->getSubExpr());
      if (p.k == value::kind::address) return at(p.addr);
      return value::unknown("memory behind a pointer at " + where(u->getBeginLoc()));
    }
    case UO_PreInc:
    case UO_PreDec:
    case UO_PostInc:
    case UO_PostDec: {
      const auto s = lvalue(u->getSubExpr()); // evaluates the operand once
      const value old = s ? at(*s) : eval(u->getSubExpr());
      value now = old;
      if (old.known()) now.n += u->isIncrementOp() ? 1 : -1;
      if (s) store(*s, now);
      return u->isPrefix() ? now : old;
    }
    default: break;
    }
    const value x = eval(u->getSubExpr());
    if (!x.known()) return x.k == value::kind::unknown ? x : value::unknown("an MPI constant");
    switch (u->getOpcode()) {
    case UO_Minus: return value::number(-x.n);
    case UO_Plus: return x;
    case UO_LNot: return value::number(!x.n);
    case UO_Not: return value::number(~x.n);
    default: return value::unknown("the expression at " + where(u->getBeginLoc()));
    }
  }

  value eval_binary(const BinaryOperator *b) {
    const auto op = b->getOpcode();
    if (op == BO_Comma) {
      eval(b->getLHS());
      return eval(b->getRHS());
    }
    if (b->isAssignmentOp()) return eval_assign(b);
    if (op == BO_LAnd || op == BO_LOr) { // short-circuit: a known deciding side is enough
      const value l = eval(b->getLHS());
      if (l.known() && (op == BO_LAnd ? !l.n : l.n)) return value::number(op == BO_LOr);
      const value r = eval(b->getRHS());
      if (r.known() && (op == BO_LAnd ? !r.n : r.n)) return value::number(op == BO_LOr);
      if (l.known() && r.known()) return value::number(op == BO_LAnd ? (l.n && r.n) : (l.n || r.n));
      return l.known() ? r : l;
    }
    return arithmetic(op, eval(b->getLHS()), eval(b->getRHS()), b);
  }

  value eval_assign(const BinaryOperator *b) {
    const auto s = lvalue(b->getLHS()); // evaluates the target once
    value v = eval(b->getRHS());
    if (b->isCompoundAssignmentOp())
      v = arithmetic(BinaryOperator::getOpForCompoundAssignment(b->getOpcode()),
                     s ? at(*s) : eval(b->getLHS()), v, b);
    if (s) store(*s, v);
    return v;
  }

  value arithmetic(BinaryOperatorKind op, const value &l, const value &r, const Expr *at) {
    // Comparing with MPI_PROC_NULL / MPI_ANY_SOURCE: equal only to the same constant.
    if ((op == BO_EQ || op == BO_NE) && l.k != value::kind::unknown &&
        r.k != value::kind::unknown && (l.k != value::kind::number || r.k != value::kind::number) &&
        l.k != value::kind::address && r.k != value::kind::address)
      return value::number((l.k == r.k && l.n == r.n) == (op == BO_EQ));
    if (!l.known()) return l.k == value::kind::unknown ? l : value::unknown("an MPI constant");
    if (!r.known()) return r.k == value::kind::unknown ? r : value::unknown("an MPI constant");
    const long long x = l.n, y = r.n;
    switch (op) {
    case BO_Add: return value::number(x + y);
    case BO_Sub: return value::number(x - y);
    case BO_Mul: return value::number(x * y);
    case BO_Div:
    case BO_Rem:
      if (y == 0 || (x == LLONG_MIN && y == -1))
        return value::unknown("a division by zero at " + where(at->getBeginLoc()));
      return value::number(op == BO_Div ? x / y : x % y);
    case BO_LT: return value::number(x < y);
    case BO_GT: return value::number(x > y);
    case BO_LE: return value::number(x <= y);
    case BO_GE: return value::number(x >= y);
    case BO_EQ: return value::number(x == y);
    case BO_NE: return value::number(x != y);
    case BO_And: return value::number(x & y);
    case BO_Or: return value::number(x | y);
    case BO_Xor: return value::number(x ^ y);
    case BO_Shl: return y >= 0 && y < 63 ? value::number(x << y) : value::unknown("a shift");
    case BO_Shr: return y >= 0 && y < 63 ? value::number(x >> y) : value::unknown("a shift");
    default: return value::unknown("the expression at " + where(at->getBeginLoc()));
    }
  }

  // --- calls --------------------------------------------------------------------------------

  // The arguments of a call as the callee sees them (an operator() call's object is not one).
  static std::vector<const Expr *> arguments(const CallExpr *c) {
    std::vector<const Expr *> args(c->arg_begin(), c->arg_end());
    if (isa<CXXOperatorCallExpr>(c) && isa_and_nonnull<CXXMethodDecl>(c->getDirectCallee()) &&
        !args.empty())
      args.erase(args.begin());
    return args;
  }

  value eval_call(const CallExpr *c) {
    const FunctionDecl *f = c->getDirectCallee();
    const std::string at = where(c->getBeginLoc());
    if (!f) {
      skip(c, "a call through a function pointer is not followed");
      return value::unknown("the result of an indirect call at " + at);
    }
    const std::string name = f->getNameAsString();
    if (name.rfind("MPI_", 0) == 0) return mpi_call(c, name);
    if (name == "exit" || name == "_exit" || name == "abort" || name == "quick_exit") {
      for (const Expr *a : arguments(c)) eval(a);
      st_.stopped = true;
      return value::unknown("exit");
    }
    if (const FunctionDecl *def = mpi_.own_definition(f)) return call_own(c, *def);
    for (const Expr *a : arguments(c)) { // a library call: what it writes becomes unknown
      const value v = eval(a);
      if (v.k == value::kind::address)
        store(v.addr, value::unknown("a value written by " + name + "() at " + at));
    }
    if (const auto *m = dyn_cast<CXXMemberCallExpr>(c)) eval(m->getImplicitObjectArgument());
    return value::unknown("the result of " + name + "() at " + at);
  }

  // A call of the program's own function: parameters bound to the arguments' values (a
  // reference parameter to the caller's variable), the body evaluated, the result returned.
  value call_own(const CallExpr *c, const FunctionDecl &def) {
    const auto args = arguments(c);
    if (depth_ >= kMaxDepth) {
      skip(c, "calls nested deeper than " + std::to_string(kMaxDepth) + " are not followed");
      return value::unknown("a call too deep");
    }
    std::map<const VarDecl *, value> frame;
    for (unsigned i = 0; i < def.getNumParams(); ++i) {
      const ParmVarDecl *p = def.getParamDecl(i);
      value v = value::unknown("'" + p->getNameAsString() + "'");
      if (i < args.size()) {
        if (p->getType()->isReferenceType()) {
          if (auto s = lvalue(args[i]))
            v = value{value::kind::address, 0, *s, {}};
          else
            eval(args[i]);
        } else
          v = eval(args[i]);
      }
      frame[p] = v;
    }
    if (const auto *m = dyn_cast<CXXMemberCallExpr>(c)) eval(m->getImplicitObjectArgument());
    st_.frames.push_back(std::move(frame));
    const std::string caller = std::exchange(current_function_, def.getNameAsString());
    ++depth_;
    st_.ret = value::unknown("the result of " + def.getNameAsString() + "()");
    const flow f = exec(def.getBody());
    --depth_;
    current_function_ = caller;
    st_.frames.pop_back();
    return f == flow::ret ? st_.ret
                          : value::unknown("the result of " + def.getNameAsString() + "()");
  }

  // --- MPI ----------------------------------------------------------------------------------

  int rank_of(const value &v, std::string &why) const {
    switch (v.k) {
    case value::kind::number: return v.n >= 0 && v.n < np_ ? int(v.n) : kNoSuchRank;
    case value::kind::any: return kAny;
    case value::kind::proc_null: return kProcNull;
    default:
      if (why.empty()) why = v.why;
      return kUnknown;
    }
  }

  int tag_of(const value &v, std::string &why) const {
    if (v.known()) return v.n >= 0 && v.n <= INT_MAX ? int(v.n) : kUnknown;
    if (v.k == value::kind::any) return kAny;
    if (why.empty()) why = v.why;
    return kUnknown;
  }

  int comm_of(const Expr *e, std::string &why) {
    const value v = eval(e);
    if (v.known() && v.n >= 0 && v.n < 2 + st_.dups) return int(v.n);
    if (why.empty())
      why = "the communicator at " + where(e->getBeginLoc()) +
            " is not MPI_COMM_WORLD, MPI_COMM_SELF or a duplicate of them";
    return kUnknownComm;
  }

  // The argument declared with an MPI type name ("MPI_Comm"), by the callee's parameter types.
  static int argument_of_type(const FunctionDecl &f, llvm::StringRef type) {
    for (unsigned i = 0; i < f.getNumParams(); ++i)
      if (f.getParamDecl(i)->getType().getAsString() == type) return int(i);
    return kNone;
  }

  int add_event(event e, const CallExpr *c, std::string why) {
    const std::size_t limit = std::min(kMaxEvents, kMaxAllEvents / std::size_t(np_));
    if (events_.size() >= limit) {
      give_up(c, "more than " + std::to_string(limit) + " MPI operations on one rank");
      return -1;
    }
    e.call = c->getDirectCallee()->getNameAsString();
    e.where = location(c, current_function_);
    if (!why.empty()) {
      why = "the partner, tag or communicator of " + e.call + " at " + where(c->getBeginLoc()) +
            " depends on " + why;
      remark(c, why + "; it is matched as if it could be anything");
    }
    e.uncertain = !st_.approx.empty() ? st_.approx : why;
    events_.push_back(std::move(e));
    return int(events_.size()) - 1;
  }

  value mpi_call(const CallExpr *c, const std::string &name) {
    const signature *sig = find_signature(name);
    const auto args = arguments(c);
    const auto arg = [&](int i) -> const Expr * {
      return i >= 0 && i < int(args.size()) ? args[i] : nullptr;
    };
    if (!sig) {
      skip(c, name + " is not modelled");
      for (const Expr *a : args) write_unknown(a, name);
      return value::unknown("the result of " + name);
    }
    const FunctionDecl &f = *c->getDirectCallee();
    const int comm_arg = sig->comm == kFindByType ? argument_of_type(f, "MPI_Comm") : sig->comm;
    const int request_arg =
        sig->request == kFindByType ? argument_of_type(f, "MPI_Request *") : sig->request;
    std::string why;
    switch (sig->what) {
    case role::comm_rank:
    case role::comm_size: {
      const int comm = comm_of(arg(0), why);
      const value out = comm == kUnknownComm ? value::unknown(why)
                        : comm == kSelf      ? value::number(sig->what == role::comm_rank ? 0 : 1)
                                        : value::number(sig->what == role::comm_rank ? rank_ : np_);
      if (auto s = pointee(arg(1))) store(*s, out);
      return value::number(0);
    }
    case role::comm_dup:
    case role::comm_other: {
      event e;
      e.kind = ev_kind::collective;
      e.comm = comm_of(arg(0), why);
      add_event(e, c, "");
      const Expr *out = args.empty() ? nullptr : args.back();
      if (sig->what == role::comm_dup && e.comm != kUnknownComm) {
        if (auto s = pointee(out)) store(*s, value::number(2 + st_.dups++));
      } else {
        remark(c, "the communicator " + name + " creates is not modelled");
        write_unknown(out, name);
      }
      return value::number(0);
    }
    case role::send:
    case role::recv:
    case role::probe: {
      event e;
      e.kind = sig->what == role::send   ? ev_kind::send
               : sig->what == role::recv ? ev_kind::recv
                                         : ev_kind::probe;
      e.mode = sig->mode;
      e.blocking = sig->blocking;
      e.peer = rank_of(eval(arg(sig->peer)), why);
      e.tag = tag_of(eval(arg(sig->tag)), why);
      e.comm = comm_of(arg(sig->comm), why);
      for (const Expr *a : args)
        if (a != arg(request_arg) && e.kind != ev_kind::send) write_unknown(a, name);
      const int id = add_event(e, c, why);
      if (!sig->blocking) remember_request(c, arg(request_arg), id);
      return value::number(0);
    }
    case role::sendrecv: {
      event s, r, w;
      s.kind = ev_kind::send;
      s.blocking = r.blocking = false;
      s.peer = rank_of(eval(arg(sig->peer)), why);
      s.tag = tag_of(eval(arg(sig->tag)), why);
      r.kind = ev_kind::recv;
      r.peer = rank_of(eval(arg(sig->recv_peer)), why);
      r.tag = tag_of(eval(arg(sig->recv_tag)), why);
      s.comm = r.comm = comm_of(arg(sig->comm), why);
      for (const Expr *a : args) write_unknown(a, name);
      w.kind = ev_kind::wait;
      const int sent = add_event(s, c, why), received = add_event(r, c, why);
      if (sent < 0 || received < 0) return value::number(0);
      w.waits = {sent, received};
      add_event(w, c, why);
      return value::number(0);
    }
    case role::wait:
    case role::wait_array: return mpi_wait(c, *sig, args);
    case role::collective: {
      event e;
      e.kind = ev_kind::collective;
      e.blocking = sig->blocking;
      e.comm = comm_arg == kNone ? kUnknownComm : comm_of(arg(comm_arg), why);
      for (const Expr *a : args)
        if (a != arg(request_arg)) write_unknown(a, name);
      const int id = add_event(e, c, why);
      if (!sig->blocking) remember_request(c, arg(request_arg), id);
      return value::number(0);
    }
    case role::abort: {
      event e;
      e.kind = ev_kind::abort;
      add_event(e, c, "");
      st_.stopped = true;
      return value::number(0);
    }
    case role::local:
      if (name != "MPI_Init" && name != "MPI_Init_thread") // they leave argc alone
        for (const Expr *a : args) write_unknown(a, name);
      return value::number(0);
    }
    return value::number(0);
  }

  value mpi_wait(const CallExpr *c, const signature &sig, const std::vector<const Expr *> &args) {
    const std::string name = c->getDirectCallee()->getNameAsString();
    event w;
    w.kind = ev_kind::wait;
    w.any = sig.any;
    std::string why;
    const Expr *handles = sig.request < int(args.size()) ? args[sig.request] : nullptr;
    std::optional<long long> count;
    if (sig.count != kNone && sig.count < int(args.size())) {
      const value n = eval(args[sig.count]);
      if (n.known()) count = n.n;
    }
    const auto key = request_of(handles);
    if (!key) {
      why = "the request at " + where(c->getBeginLoc()) + " is not followed";
      remark(c, "the request " + name +
                    " waits for is not followed; it is taken to be every pending one");
    }
    for (auto it = st_.requests.begin(); it != st_.requests.end();) {
      const bool chosen =
          !key || (it->first.first == key->first &&
                   (key->second == kWholeArray || sig.what == role::wait_array
                        ? (!count || it->first.second < 0 || it->first.second < *count)
                        : it->first.second == key->second || it->first.second == kUnknownIndex));
      if (!chosen) {
        ++it;
        continue;
      }
      w.waits.insert(w.waits.end(), it->second.begin(), it->second.end());
      it = st_.requests.erase(it);
    }
    for (std::size_t i = 0; i < args.size(); ++i)
      if (int(i) != sig.request && int(i) != sig.flag) write_unknown(args[i], name);
    if (sig.flag != kNone && sig.flag < int(args.size()))
      if (auto s = pointee(args[sig.flag])) store(*s, value::number(1));
    if (!w.waits.empty()) add_event(w, c, why);
    return value::number(0);
  }

  // The variable a pointer argument points to (&x, or p with p = &x), without evaluating the
  // argument again.
  std::optional<slot> pointee(const Expr *e) {
    if (!e) return std::nullopt;
    e = strip(e);
    if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_AddrOf)
      return lvalue(u->getSubExpr());
    if (const auto *d = dyn_cast<DeclRefExpr>(e))
      if (const auto *v = dyn_cast<VarDecl>(d->getDecl()); v && v->getType()->isPointerType()) {
        const value p = load(v);
        if (p.k == value::kind::address) return p.addr;
      }
    return std::nullopt;
  }

  void write_unknown(const Expr *e, const std::string &by) {
    if (auto s = pointee(e); s && !s->var->getType()->isArrayType())
      store(*s, value::unknown("a value written by " + by + " at " + where(e->getBeginLoc())));
  }

  // The handle a request argument names: &req, &reqs[i], reqs + i, reqs (a whole array), or a
  // pointer parameter bound to one of those.
  std::optional<request_key> request_of(const Expr *e) {
    if (!e) return std::nullopt;
    e = strip(e);
    if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_AddrOf)
      return element_of(strip(u->getSubExpr()));
    if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
      const auto *v = dyn_cast<VarDecl>(d->getDecl());
      if (!v) return std::nullopt;
      if (v->getType()->isArrayType()) return request_key{v, kWholeArray};
      const value p = load(v); // a pointer parameter
      if (p.k == value::kind::address)
        return request_key{p.addr.var,
                           p.addr.var->getType()->isArrayType() ? kWholeArray : kScalar};
      return std::nullopt;
    }
    if (const auto *b = dyn_cast<BinaryOperator>(e); b && b->getOpcode() == BO_Add) {
      const auto base = request_of(b->getLHS());
      const value i = eval(b->getRHS());
      if (base) return request_key{base->first, i.known() ? i.n : kUnknownIndex};
    }
    if (const auto *m = dyn_cast<CXXMemberCallExpr>(e)) // vector.data()
      if (const auto *d = dyn_cast<DeclRefExpr>(strip(m->getImplicitObjectArgument())))
        if (const auto *v = dyn_cast<VarDecl>(d->getDecl())) return request_key{v, kWholeArray};
    return std::nullopt;
  }

  std::optional<request_key> element_of(const Expr *e) {
    if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
      if (const auto *v = dyn_cast<VarDecl>(d->getDecl())) return request_key{v, kScalar};
      return std::nullopt;
    }
    const Expr *base = nullptr, *index = nullptr;
    if (const auto *a = dyn_cast<ArraySubscriptExpr>(e)) {
      base = a->getBase();
      index = a->getIdx();
    } else if (const auto *o = dyn_cast<CXXOperatorCallExpr>(e);
               o && o->getOperator() == OO_Subscript && o->getNumArgs() == 2) {
      base = o->getArg(0);
      index = o->getArg(1);
    }
    if (!base) return std::nullopt;
    const auto *d = dyn_cast<DeclRefExpr>(strip(base));
    const auto *v = d ? dyn_cast<VarDecl>(d->getDecl()) : nullptr;
    if (!v) return std::nullopt;
    const value i = eval(index);
    return request_key{v, i.known() ? i.n : kUnknownIndex};
  }

  void remember_request(const CallExpr *c, const Expr *handle, int event) {
    if (event < 0) return;
    const auto key = request_of(handle);
    if (!key) {
      remark(c, "the request handle is not followed; a later wait is taken to wait for it");
      st_.requests[{nullptr, kUnknownIndex}].push_back(event);
      return;
    }
    auto k = *key;
    if (k.second == kWholeArray) k.second = 0; // `reqs` as an argument is &reqs[0]
    st_.requests[k] = {event};
  }

  ASTContext &ctx_;
  const SourceManager &sm_;
  const int rank_, np_;
  std::set<std::string> &remarks_;
  mpi_finder &mpi_;
  state st_;
  std::vector<event> events_; // this rank's operations so far
  long steps_ = 0;
  int depth_ = 0;
  bool gave_up_ = false;
  std::string current_function_;
};

// Does the function call MPI_Init (or MPI_Init_thread) directly?
bool calls_mpi_init(const Stmt *s) {
  if (!s) return false;
  if (const auto *c = dyn_cast<CallExpr>(s))
    if (const FunctionDecl *f = c->getDirectCallee())
      if (ast::name(f) == "MPI_Init" || ast::name(f) == "MPI_Init_thread") return true;
  for (const Stmt *child : s->children())
    if (calls_mpi_init(child)) return true;
  return false;
}

} // namespace

const FunctionDecl *find_entry(ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  const FunctionDecl *init_caller = nullptr;
  for (const Decl *d : ctx.getTranslationUnitDecl()->decls()) {
    const auto *f = dyn_cast<FunctionDecl>(d);
    if (!f || !f->hasBody() || !f->isThisDeclarationADefinition() ||
        !sm.isInMainFile(sm.getExpansionLoc(f->getLocation())))
      continue;
    if (f->isMain()) return f;
    if (!init_caller && calls_mpi_init(f->getBody())) init_caller = f;
  }
  return init_caller;
}

program interpret(ASTContext &ctx, const FunctionDecl &entry, int np,
                  std::set<std::string> &remarks) {
  program p;
  p.np = np;
  mpi_finder finder(ctx.getSourceManager());
  for (int r = 0; r < np; ++r) p.ranks.push_back(rank_eval(ctx, r, np, remarks, finder).run(entry));
  return p;
}

} // namespace gridlock::analyzer::mpi
