#include "evaluator.hpp"

#include "../src/ast_util.hpp"
#include "../src/program_index.hpp"
#include "../src/trip_count.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

#include <algorithm>
#include <climits>
#include <iterator>

namespace gridlock::analyzer::engine {

using namespace clang;

namespace {

constexpr long kMaxFolds = 64;           // identical iterations before a loop is summarised
constexpr std::size_t kCellsPerStep = 1; // cells and variables copied per step charged

bool is_std_function(const FunctionDecl *f, std::initializer_list<llvm::StringRef> names) {
  if (!f || !ast::in_namespace(f, "std")) return false;
  const llvm::StringRef n = ast::name(f);
  return std::find(names.begin(), names.end(), n) != names.end();
}

// std::unique_ptr / shared_ptr: kept as the address they hold.
bool is_smart_pointer(QualType t) {
  return ast::is_class(t.getNonReferenceType(), "std", {"unique_ptr", "shared_ptr"});
}

// The arguments of a call as the callee's parameters see them (an operator() or member
// operator's object is not one).
std::vector<const Expr *> arguments(const CallExpr *c) {
  std::vector<const Expr *> args(c->arg_begin(), c->arg_end());
  if (isa<CXXOperatorCallExpr>(c) && isa_and_nonnull<CXXMethodDecl>(c->getDirectCallee()) &&
      !args.empty())
    args.erase(args.begin());
  return args;
}

bool is_optional(QualType t) { return ast::is_class(t.getNonReferenceType(), "std", {"optional"}); }

// The type a std::optional<T> holds.
QualType optional_value_type(QualType t) {
  const auto *spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      t.getNonReferenceType()->getAsCXXRecordDecl());
  if (!spec || spec->getTemplateArgs().size() == 0 ||
      spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return {};
  return spec->getTemplateArgs()[0].getAsType();
}

// A statement that may leave a loop other than by its condition: break (of this loop), return,
// goto, throw, co_return.
bool may_leave(const Stmt *s, bool nested = false) {
  if (!s) return false;
  if (isa<ReturnStmt, GotoStmt, CXXThrowExpr, CoreturnStmt>(s)) return true;
  if (isa<BreakStmt>(s)) return !nested;
  const bool inner = nested || isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt, SwitchStmt>(s);
  for (const Stmt *c : s->children())
    if (may_leave(c, inner)) return true;
  return false;
}

std::vector<int> sorted_union(const std::vector<int> &a, const std::vector<int> &b) {
  std::vector<int> out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::vector<int> sorted_intersection(const std::vector<int> &a, const std::vector<int> &b) {
  std::vector<int> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void drop_from(std::vector<int> &v, int first) {
  v.erase(std::lower_bound(v.begin(), v.end(), first), v.end());
}

} // namespace

evaluator::evaluator(ASTContext &ctx, host &h, program_model &model, std::set<std::string> &remarks,
                     limits lim)
    : ctx_(ctx), host_(h), m_(model), remarks_(remarks), lim_(lim) {}

// The AST of the function being evaluated (another translation unit's, for a function defined
// there), for its source locations and constant evaluation.
ASTContext &evaluator::context() {
  if (!actors_.empty() && !cur().frames.empty() && fr().fn)
    return const_cast<ASTContext &>(fr().fn->getASTContext());
  return ctx_;
}

const SourceManager &evaluator::sources() { return context().getSourceManager(); }

void evaluator::set_resolver(resolver r) { resolve_ = std::move(r); }

evaluator::~evaluator() = default;

// --- actors -----------------------------------------------------------------------------------

int evaluator::add_entry(const std::string &name, SourceLocation where, bool multi) {
  int same = 0;
  for (const entry &e : m_.entries)
    if (e.name == name || e.name.rfind(name + "#", 0) == 0) ++same;
  m_.entries.push_back(entry{same ? name + "#" + std::to_string(same + 1) : name,
                             ast::location(sources(), where), multi});
  return static_cast<int>(m_.entries.size()) - 1;
}

void evaluator::run_root(int entry, const FunctionDecl &fn) {
  heap_.assign(1, cell{}); // cell 0: where writes go once the cell budget is used up
  globals_.clear();
  steps_ = 0;
  out_of_steps_ = false;
  actors_.emplace_back();
  cur().entry = entry;
  frame f;
  f.fn = &fn;
  for (const ParmVarDecl *p : fn.parameters()) {
    const int c = make_cell(ast::name(p).str());
    at(c).v = value::unknown("'" + ast::name(p).str() + "' (the root's parameter)");
    f.vars[p] = c;
  }
  if (const auto *m = dyn_cast<CXXMethodDecl>(&fn); m && m->isInstance()) {
    f.this_cell = make_cell(ast::name(m->getParent()).str());
    at(f.this_cell).type = m->getParent();
  }
  reached_.insert(&fn);
  run_frame(std::move(f));
  finish_actor();
}

void evaluator::start_actor(const value &callable, const std::vector<const Expr *> &args,
                            const std::string &name, SourceLocation where) {
  std::optional<frame> f = bind_callable(callable, args, where);
  const bool multi = cur().summaries > 0;
  const int e = add_entry(name, where, multi);
  if (!f) return; // a callable it cannot follow: an actor without operations
  actors_.emplace_back();
  cur().entry = e;
  run_frame(std::move(*f));
  finish_actor();
}

void evaluator::finish_actor() {
  actor &a = cur();
  const int base = static_cast<int>(m_.ops.size());
  const int n = static_cast<int>(a.ops.size());
  for (op &o : a.ops) {
    for (int &x : o.after) x += base;
    for (int &x : o.after_maybe) x += base;
    o.pairs_with = o.pairs_with >= 0 && o.pairs_with < n ? o.pairs_with + base : -1;
    if (o.select_group >= 0) o.select_group += base;
    m_.ops.push_back(std::move(o));
  }
  for (region r : a.regions) {
    if (r.begin >= r.end || r.end > n) continue;
    r.entry = a.entry;
    r.begin += base;
    r.end += base;
    if (r.driver >= 0) r.driver += base;
    m_.regions.push_back(r);
  }
  actors_.pop_back();
}

void evaluator::rename_actor(const std::string &name) {
  if (!actors_.empty()) m_.entries[static_cast<std::size_t>(cur().entry)].name = name;
}

void evaluator::stop_actor() { cur().stopped = true; }

bool evaluator::halted() { return out_of_steps_ || cur().stopped; }

void evaluator::remark(SourceLocation at, const std::string &what) {
  const source_loc l = ast::location(sources(), at);
  const std::string where =
      l.file.empty() ? "<unknown>"
                     : l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column);
  remarks_.insert(where + ": remark: " + what + " [gridlock-check]");
}

std::string evaluator::where(SourceLocation l) { return ast::short_location(sources(), l); }

bool evaluator::spend(SourceLocation at) {
  if (out_of_steps_) return false;
  if (++steps_ <= lim_.steps) return true;
  out_of_steps_ = true;
  remark(at, "evaluation budget of " + std::to_string(lim_.steps) +
                 " steps used up; the rest of the program is not followed");
  return false;
}

// --- operations -------------------------------------------------------------------------------

int evaluator::record(op o, SourceLocation where) {
  actor &a = cur();
  if (halted()) return -1;
  if (a.ops.size() >= lim_.ops_per_actor) {
    remark(where, "more than " + std::to_string(lim_.ops_per_actor) +
                      " blocking operations in one actor; the rest of it is not followed");
    a.stopped = true;
    return -1;
  }
  o.entry = a.entry;
  o.where = ast::location(sources(), where);
  o.after = a.now.certain;
  o.after_maybe = a.now.maybe;
  o.conditional = a.conditional > 0;
  o.in_loop = a.loops > 0;
  o.repeat = a.summaries > 0 ? std::nullopt : std::optional<long long>(1);
  const int index = static_cast<int>(a.ops.size());
  a.ops.push_back(std::move(o));
  a.now.certain.push_back(index);
  return index;
}

void evaluator::record_select(std::vector<std::pair<op, SourceLocation>> cases) {
  if (cases.empty()) return;
  const path before = cur().now;
  const int first = static_cast<int>(cur().ops.size());
  std::vector<int> recorded;
  for (auto &[o, where] : cases) {
    o.select_group = first;
    cur().now = before;
    const int index = record(std::move(o), where);
    if (index < 0) break;
    recorded.push_back(index);
  }
  cur().now = before;
  for (int index : recorded) cur().now.certain.push_back(index);
}

evaluator::path evaluator::join(const std::vector<path> &paths) {
  if (paths.empty()) return {};
  path out = paths.front();
  std::vector<int> all = sorted_union(out.certain, out.maybe);
  for (std::size_t i = 1; i < paths.size(); ++i) {
    out.certain = sorted_intersection(out.certain, paths[i].certain);
    all = sorted_union(all, sorted_union(paths[i].certain, paths[i].maybe));
  }
  out.maybe.clear();
  std::set_difference(all.begin(), all.end(), out.certain.begin(), out.certain.end(),
                      std::back_inserter(out.maybe));
  return out;
}

// Ops [from, end) were recorded in one loop iteration: they repeat (an unknown number of times).
void evaluator::mark_loop_ops(std::size_t from, bool unknown_count) {
  for (std::size_t i = from; i < cur().ops.size(); ++i) {
    op &o = cur().ops[i];
    o.in_loop = true;
    if (unknown_count) o.repeat.reset();
  }
}

// If the ops of the iteration starting at `next` are those of the iteration [rep, next), the
// later ones are dropped and the earlier ones repeat once more.
bool evaluator::fold(std::size_t rep, std::size_t next) {
  std::vector<op> &ops = cur().ops;
  const std::size_t n = next - rep;
  if (ops.size() - next != n || n == 0) return n == 0 && ops.size() == next;
  for (std::size_t i = 0; i < n; ++i) {
    const op &a = ops[rep + i], &b = ops[next + i];
    const auto rel = [](const op &o, std::size_t base) {
      return o.pairs_with < static_cast<int>(base) ? o.pairs_with
                                                   : o.pairs_with - static_cast<int>(base);
    };
    if (a.kind != b.kind || a.object != b.object || a.peer != b.peer ||
        a.where.line != b.where.line || a.where.column != b.where.column ||
        a.where.file != b.where.file || a.buffered_anyway != b.buffered_anyway ||
        a.conditional != b.conditional || rel(a, rep) != rel(b, next) ||
        (a.select_group < 0) != (b.select_group < 0) || a.polls != b.polls)
      return false;
  }
  for (std::size_t i = 0; i < n; ++i) {
    op &a = ops[rep + i];
    const op &b = ops[next + i];
    a.repeat = a.repeat && b.repeat ? std::optional(*a.repeat + *b.repeat) : std::nullopt;
  }
  ops.resize(next);
  drop_from(cur().now.certain, static_cast<int>(next));
  drop_from(cur().now.maybe, static_cast<int>(next));
  auto &regions = cur().regions;
  regions.erase(std::remove_if(regions.begin(), regions.end(),
                               [&](const region &r) { return r.begin >= static_cast<int>(next); }),
                regions.end());
  region &loop = loop_region(rep, next);
  loop.count = loop.count ? *loop.count + 1 : 2;
  return true;
}

// The loop region over ops [begin, end) of the current actor, made if there is none.
region &evaluator::loop_region(std::size_t begin, std::size_t end) {
  for (region &r : cur().regions)
    if (r.kind == region::kind_t::loop && r.begin == static_cast<int>(begin) &&
        r.end == static_cast<int>(end))
      return r;
  region r;
  r.begin = static_cast<int>(begin);
  r.end = static_cast<int>(end);
  cur().regions.push_back(r);
  return cur().regions.back();
}

// --- snapshots --------------------------------------------------------------------------------

// Copying the heap and the frames costs a step per cell and variable: branches the evaluator
// cannot decide — in a loop over a large heap, or nested in a recursion, 3^16 paths — use the
// budget up instead of the time.
evaluator::snapshot evaluator::save() {
  std::size_t copied = heap_.size() + globals_.size();
  for (const frame &f : actors_.back().frames) copied += f.vars.size();
  steps_ += static_cast<long>(copied / kCellsPerStep);
  return snapshot{heap_, actors_.back().frames, globals_};
}

// Back to the memory of `s` (the paths that jumped — returns, breaks, continues — are kept).
void evaluator::restore(const snapshot &s, std::size_t pad_to) {
  heap_ = s.cells;
  if (heap_.size() < pad_to) heap_.resize(pad_to);
  std::vector<frame> frames = s.frames;
  for (std::size_t i = 0; i < frames.size() && i < cur().frames.size(); ++i) {
    frames[i].returns = std::move(cur().frames[i].returns);
    frames[i].returned = std::move(cur().frames[i].returned);
  }
  cur().frames = std::move(frames);
  globals_ = s.globals;
}

// Merges `other` (the heap of another path to this point) into the current heap: cells
// [0, shared) existed before the paths split, and keep a value only where both agree; cells
// [from, to) were made on the other path only and are taken over.
void evaluator::merge(const snapshot &other, std::size_t shared, std::size_t from, std::size_t to,
                      const std::string &why) {
  const heap &o = other.cells;
  for (std::size_t i = from; i < to && i < o.size() && i < heap_.size(); ++i) heap_[i] = o[i];
  for (std::size_t i = 0; i < shared && i < o.size() && i < heap_.size(); ++i) {
    cell &a = heap_[i];
    const cell &b = o[i];
    if (!a.v.same(b.v)) a.v = value::unknown(why);
    for (const auto &[key, c] : b.fields) a.fields.emplace(key, c);
    if (a.resource < 0) a.resource = b.resource;
    if (!a.type) a.type = b.type;
  }
  for (const auto &[key, c] : other.globals) globals_.emplace(key, c);
  if (!cur().frames.empty() && !other.frames.empty())
    for (const auto &[key, c] : other.frames.back().vars) fr().vars.emplace(key, c);
}

// --- statements -------------------------------------------------------------------------------

evaluator::flow evaluator::exec(const Stmt *s) {
  if (!s || halted() || !spend(s->getBeginLoc())) return flow::normal;
  if (const auto *b = dyn_cast<CompoundStmt>(s)) return exec_block(b);
  if (const auto *d = dyn_cast<DeclStmt>(s)) {
    for (const Decl *x : d->decls())
      if (const auto *v = dyn_cast<VarDecl>(x)) declare(v);
    return flow::normal;
  }
  if (const auto *i = dyn_cast<IfStmt>(s)) return exec_if(i);
  if (const auto *w = dyn_cast<WhileStmt>(s))
    return exec_loop(s, w->getConditionVariable(), w->getCond(), w->getBody(), nullptr, false);
  if (const auto *d = dyn_cast<DoStmt>(s))
    return exec_loop(s, nullptr, d->getCond(), d->getBody(), nullptr, true);
  if (const auto *f = dyn_cast<ForStmt>(s)) {
    exec(f->getInit());
    return exec_loop(s, f->getConditionVariable(), f->getCond(), f->getBody(), f->getInc(), false);
  }
  if (const auto *r = dyn_cast<CXXForRangeStmt>(s)) return exec_range(r);
  if (isa<BreakStmt>(s)) return jump(flow::brk, s->getBeginLoc());
  if (isa<ContinueStmt>(s)) return jump(flow::cont, s->getBeginLoc());
  if (const auto *r = dyn_cast<ReturnStmt>(s)) return exec_return(r);
  if (const auto *sw = dyn_cast<SwitchStmt>(s)) return exec_switch(sw);
  if (const auto *l = dyn_cast<LabelStmt>(s)) return exec(l->getSubStmt());
  if (const auto *a = dyn_cast<AttributedStmt>(s)) return exec(a->getSubStmt());
  if (const auto *t = dyn_cast<CXXTryStmt>(s)) return exec(t->getTryBlock());
  if (const auto *e = dyn_cast<Expr>(s)) {
    eval(e);
    return flow::normal;
  }
  if (isa<NullStmt>(s)) return flow::normal;
  remark(s->getBeginLoc(),
         std::string("a ") + s->getStmtClassName() + " statement is not evaluated");
  return flow::normal;
}

evaluator::flow evaluator::exec_block(const CompoundStmt *b) {
  fr().scopes.emplace_back();
  flow f = flow::normal;
  for (const Stmt *x : b->body()) {
    f = exec(x);
    if (f != flow::normal || halted()) break;
  }
  close_scope(b->getRBracLoc());
  return f;
}

void evaluator::close_scope(SourceLocation end) {
  if (fr().scopes.empty()) return;
  const std::vector<int> cells = std::move(fr().scopes.back());
  fr().scopes.pop_back();
  for (auto c = cells.rbegin(); c != cells.rend(); ++c) host_.destroy(*this, *c, end);
}

// Leaving blocks by a jump: the objects of the blocks beyond the first `keep` are destroyed now
// (their blocks close later, finding nothing left to do).
void evaluator::unwind_scopes(std::size_t keep, SourceLocation at) {
  const auto scopes = fr().scopes;
  for (std::size_t s = scopes.size(); s > keep; --s)
    for (auto c = scopes[s - 1].rbegin(); c != scopes[s - 1].rend(); ++c)
      host_.destroy(*this, *c, at);
}

void evaluator::declare(const VarDecl *v) {
  if (v->hasGlobalStorage()) {
    lookup(v); // a static local: initialised once
    return;
  }
  const std::string name = ast::name(v).str();
  int c;
  if (v->getType()->isReferenceType()) {
    c = v->getInit() ? lval(v->getInit()) : make_cell(name);
    fr().vars[v] = c;
  } else {
    c = make_cell(name);
    fr().vars[v] = c;
    if (v->getInit())
      init_cell(c, v->getInit(), v->getType());
    else
      at(c).v = value::unknown("'" + name + "' (uninitialised)");
    if (!fr().scopes.empty()) fr().scopes.back().push_back(c);
  }
  const auto *d = dyn_cast<DecompositionDecl>(v);
  if (!d) return;
  std::vector<const FieldDecl *> fields;
  if (const auto *r = v->getType().getNonReferenceType()->getAsCXXRecordDecl())
    if (r->hasDefinition())
      for (const FieldDecl *f : r->fields()) fields.push_back(f);
  std::size_t i = 0;
  for (const BindingDecl *b : d->bindings()) {
    fr().vars[b] = i < fields.size() ? field(c, fields[i]) : make_cell(ast::name(b).str());
    ++i;
  }
}

evaluator::flow evaluator::exec_if(const IfStmt *i) {
  exec(i->getInit());
  if (const VarDecl *v = i->getConditionVariable()) declare(v);
  const value c = eval(i->getCond());
  if (halted()) return flow::normal;
  if (c.known()) return exec(c.n ? i->getThen() : i->getElse());
  if (c.k == value::kind::function) return exec(i->getThen());
  const Stmt *then = i->getThen(), *other = i->getElse();
  return exec_undecided(
      2, [&](int side) { return exec(side == 0 ? then : other); },
      "the branch at " + where(i->getBeginLoc()) + " depends on " +
          (c.why.empty() ? "an object" : c.why));
}

// Runs each of `n` alternatives from the same state (the evaluator cannot tell which runs), then
// goes on with what the alternatives that fall through agree on.
evaluator::flow evaluator::exec_undecided(int n, const std::function<flow(int)> &side,
                                          const std::string &why) {
  struct outcome {
    flow f;
    bool stopped; // this side ends the actor (exit, abort)
    path p;
    snapshot st;
    std::size_t from, to; // the cells this side made
  };
  const snapshot before = save();
  const path start = cur().now;
  const std::size_t shared = heap_.size();
  const std::size_t first_op = cur().ops.size();
  std::vector<outcome> outs;
  ++cur().conditional;
  for (int k = 0; k < n; ++k) {
    const std::size_t from = k == 0 ? shared : outs.back().to;
    if (k > 0) {
      restore(before, from);
      cur().now = start;
    }
    cur().stopped = false;
    const flow f = side(k);
    if (out_of_steps_) return flow::normal;
    const bool stopped = cur().stopped;
    outs.push_back({f, stopped, cur().now, stopped ? snapshot{} : save(), from, heap_.size()});
  }
  --cur().conditional;
  if (cur().ops.size() > first_op) {
    region r;
    r.kind = region::kind_t::choice;
    r.begin = static_cast<int>(first_op);
    r.end = static_cast<int>(cur().ops.size());
    cur().regions.push_back(r);
  }
  // A side that left the loop or the function: the loops it leaves run an unknown number of times.
  for (const outcome &o : outs) {
    if (o.stopped) continue;
    auto &targets = cur().targets.back();
    if (o.f == flow::brk && !targets.empty()) targets.back().exit_unknown = true;
    if (o.f == flow::ret)
      for (jump_target &t : targets) t.exit_unknown = true;
  }
  std::vector<const outcome *> going;
  for (const outcome &o : outs)
    if (o.f == flow::normal && !o.stopped) going.push_back(&o);
  if (going.empty()) {
    const auto alive =
        std::find_if(outs.begin(), outs.end(), [](const outcome &o) { return !o.stopped; });
    if (alive == outs.end()) { // every side ends the actor
      cur().stopped = true;
      return flow::ret;
    }
    restore(alive->st, 0);
    cur().now = alive->p;
    cur().stopped = false;
    return alive->f;
  }
  const outcome &last = *going.back();
  restore(last.st, 0);
  cur().stopped = false;
  std::vector<path> paths;
  for (const outcome *o : going) {
    paths.push_back(o->p);
    if (o != &last) merge(o->st, shared, o->from, o->to, why);
  }
  cur().now = join(paths);
  return flow::normal;
}

evaluator::flow evaluator::jump(flow kind, SourceLocation at) {
  auto &targets = cur().targets.back();
  auto t = targets.rbegin();
  if (kind == flow::cont)
    while (t != targets.rend() && !t->loop) ++t;
  if (t == targets.rend()) return kind;
  unwind_scopes(t->scopes, at);
  (kind == flow::brk ? t->exits : t->continues).push_back(cur().now);
  t->jumped = true;
  return kind;
}

evaluator::flow evaluator::exec_return(const ReturnStmt *r) {
  value v = value::unknown("void");
  if (const Expr *e = r->getRetValue()) {
    const FunctionDecl *fn = fr().fn;
    if (fn && fn->getReturnType()->isReferenceType())
      v = value::address(lval(e));
    else
      v = eval(e);
  }
  unwind_scopes(0, r->getBeginLoc());
  fr().returns.push_back(cur().now);
  fr().returned.push_back(v);
  for (jump_target &t : cur().targets.back()) t.jumped = true;
  return flow::ret;
}

evaluator::flow evaluator::exec_loop(const Stmt *loop, const VarDecl *cond_var, const Expr *cond,
                                     const Stmt *body, const Expr *inc, bool do_while) {
  cur().targets.back().push_back(jump_target{true, fr().scopes.size(), {}, {}, false, false});
  ++cur().loops;
  const auto *for_loop = dyn_cast<ForStmt>(loop);
  const std::optional<long long> trip =
      for_loop ? ast::trip_count(*for_loop, context()) : std::nullopt;
  bool always = false;
  const bool forever = (!cond || (!cond->isValueDependent() &&
                                  cond->EvaluateAsBooleanCondition(always, context()) && always)) &&
                       !may_leave(body);
  std::size_t rep = SIZE_MAX, folds = 0;
  flow result = flow::normal;
  const auto target = [&]() -> jump_target & { return cur().targets.back().back(); };
  for (long it = 0;; ++it) {
    const std::size_t cond_begin = cur().ops.size();
    if (cond && (!do_while || it > 0)) {
      if (cond_var) declare(cond_var);
      const value c = eval(cond);
      if (halted()) break;
      if (c.known() && !c.n) {
        target().exits.push_back(cur().now);
        break;
      }
      if (!c.known() && c.k != value::kind::function && c.k != value::kind::address) {
        // A condition that is a receive's result: the loop ends when the channel is closed.
        const bool driven = c.origin >= static_cast<int>(cond_begin) &&
                            c.origin < static_cast<int>(cur().ops.size());
        summarize_loop(body, inc, c.why, cond_begin, driven ? c.origin : -1);
        break;
      }
    }
    if (it == lim_.iterations) {
      remark(loop->getBeginLoc(), "the loop ran " + std::to_string(lim_.iterations) +
                                      " times; it is taken to run an unknown number of times");
      summarize_loop(body, inc, "the loop at " + where(loop->getBeginLoc()), cond_begin, -1);
      break;
    }
    const std::size_t begin = cur().ops.size(), entries = m_.entries.size();
    target().jumped = false;
    const flow f = run_iteration(body, inc);
    if (f == flow::ret) {
      result = flow::ret;
      break;
    }
    if (f == flow::brk || halted()) break;
    mark_loop_ops(begin, false);
    if (target().exit_unknown) { // left on an undecided branch: the count is unknown
      const std::size_t first = rep == SIZE_MAX ? begin : rep;
      mark_loop_ops(first, true);
      loop_region(first, cur().ops.size()).count.reset();
      break;
    }
    const bool same =
        rep != SIZE_MAX && !target().jumped && m_.entries.size() == entries && fold(rep, begin);
    folds = same ? folds + 1 : 0;
    if (!same) rep = begin;
    if (same && folds >= 2 && (forever || trip)) {
      // The iterations repeat the same operations: the rest of a counted loop only adds to their
      // count; a loop that never ends runs them an unknown number of times.
      if (forever) {
        mark_loop_ops(rep, true);
        region &r = loop_region(rep, cur().ops.size());
        r.count.reset();
        r.forever = true;
        cur().stopped = true; // nothing after a loop without an exit runs
        break;
      }
      const long long folded = static_cast<long long>(folds) + 1; // iterations rep stands for
      const long long total = *trip - it + static_cast<long long>(folds);
      for (std::size_t i = rep; i < cur().ops.size(); ++i)
        if (op &o = cur().ops[i]; o.repeat) o.repeat = *o.repeat / folded * total;
      if (cur().ops.size() > rep) loop_region(rep, cur().ops.size()).count = total;
      forget_writes(body);
      target().exits.push_back(cur().now);
      break;
    }
    if (same && folds >= kMaxFolds) {
      // The same operations again and again, and no count known in advance: taken to repeat an
      // unknown number of times (a `while (i < n)` over a large constant n, or no end in sight).
      mark_loop_ops(rep, true);
      if (cur().ops.size() > rep) loop_region(rep, cur().ops.size()).count.reset();
      forget_writes(body);
      target().exits.push_back(cur().now);
      break;
    }
  }
  jump_target done = std::move(target());
  cur().targets.back().pop_back();
  --cur().loops;
  if (result == flow::ret || halted()) return result;
  if (done.exits.empty()) { // a loop that never ends: nothing after it runs
    cur().stopped = true;
    return flow::ret;
  }
  cur().now = join(done.exits);
  return flow::normal;
}

// One iteration: the body, the paths that continued, the increment.
evaluator::flow evaluator::run_iteration(const Stmt *body, const Expr *inc) {
  cur().targets.back().back().continues.clear();
  flow f = exec(body);
  std::vector<path> go = std::move(cur().targets.back().back().continues);
  if (f == flow::normal) go.push_back(cur().now);
  if (f == flow::cont) f = flow::normal;
  if (f != flow::normal) return f;
  if (!go.empty()) cur().now = join(go);
  if (inc) eval(inc);
  return flow::normal;
}

// A loop whose trip count is unknown: may not run (again); its body runs once, its operations
// repeat an unknown number of times, and what it changes becomes unknown.
void evaluator::summarize_loop(const Stmt *body, const Expr *inc, const std::string &why,
                               std::size_t first, int driver) {
  cur().targets.back().back().exits.push_back(cur().now);
  const snapshot before = save();
  const std::size_t begin = cur().ops.size();
  ++cur().conditional;
  ++cur().summaries;
  const flow f = run_iteration(body, inc);
  --cur().summaries;
  --cur().conditional;
  mark_loop_ops(begin, true);
  if (cur().ops.size() > first) {
    region &r = loop_region(first, cur().ops.size());
    r.count.reset();
    r.driver = driver;
  }
  if (f == flow::normal) cur().targets.back().back().exits.push_back(cur().now);
  merge(before, before.cells.size(), 0, 0, "a value changed by the loop (" + why + ")");
}

evaluator::flow evaluator::exec_range(const CXXForRangeStmt *r) {
  eval(r->getRangeInit());
  const std::string why = "the size of the range at " + where(r->getBeginLoc());
  cur().targets.back().push_back(jump_target{true, fr().scopes.size(), {}, {}, false, false});
  ++cur().loops;
  fr().scopes.emplace_back();
  const std::size_t begin = cur().ops.size();
  cur().targets.back().back().exits.push_back(cur().now);
  const snapshot before = save();
  ++cur().conditional;
  ++cur().summaries;
  declare(r->getLoopVariable());
  const flow f = run_iteration(r->getBody(), nullptr);
  --cur().summaries;
  --cur().conditional;
  close_scope(r->getEndLoc());
  mark_loop_ops(begin, true);
  if (cur().ops.size() > begin) loop_region(begin, cur().ops.size()).count.reset();
  jump_target done = std::move(cur().targets.back().back());
  cur().targets.back().pop_back();
  --cur().loops;
  if (f == flow::ret) return f;
  if (f == flow::normal) done.exits.push_back(cur().now);
  merge(before, before.cells.size(), 0, 0, "a value changed by the loop over " + why);
  cur().now = join(done.exits);
  return flow::normal;
}

// Values a loop's remaining iterations may change: assigned or incremented variables and fields.
void evaluator::forget_writes(const Stmt *s) {
  if (!s) return;
  const Expr *target = nullptr;
  if (const auto *b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp())
    target = b->getLHS();
  else if (const auto *u = dyn_cast<UnaryOperator>(s); u && u->isIncrementDecrementOp())
    target = u->getSubExpr();
  else if (const auto *o = dyn_cast<CXXOperatorCallExpr>(s); o && o->isAssignmentOp())
    target = o->getArg(0);
  if (target) {
    const Expr *t = target->IgnoreParenImpCasts();
    if (const auto *d = dyn_cast<DeclRefExpr>(t))
      if (auto it = fr().vars.find(d->getDecl()); it != fr().vars.end())
        at(it->second).v = value::unknown("a value changed by a loop");
    if (const auto *m = dyn_cast<MemberExpr>(t); m && isa<CXXThisExpr>(m->getBase()))
      if (const auto *f = dyn_cast<FieldDecl>(m->getMemberDecl()); f && fr().this_cell >= 0)
        at(field(fr().this_cell, f)).v = value::unknown("a value changed by a loop");
  }
  for (const Stmt *c : s->children()) forget_writes(c);
}

evaluator::flow evaluator::exec_switch(const SwitchStmt *sw) {
  exec(sw->getInit());
  if (const VarDecl *v = sw->getConditionVariable()) declare(v);
  const value c = eval(sw->getCond());
  const auto *body = dyn_cast_or_null<CompoundStmt>(sw->getBody());
  if (halted() || !body) return flow::normal;
  std::vector<const Stmt *> stmts(body->body_begin(), body->body_end());
  // Where each case label (and the default) starts, and its value.
  std::vector<std::pair<std::size_t, std::optional<long long>>> labels;
  std::optional<std::size_t> dflt;
  for (std::size_t i = 0; i < stmts.size(); ++i)
    for (const Stmt *l = stmts[i]; isa_and_nonnull<SwitchCase>(l);
         l = cast<SwitchCase>(l)->getSubStmt()) {
      if (const auto *cs = dyn_cast<CaseStmt>(l)) {
        Expr::EvalResult r;
        std::optional<long long> v;
        if (!cs->getLHS()->isValueDependent() && cs->getLHS()->EvaluateAsInt(r, context()))
          v = r.Val.getInt().getExtValue();
        labels.emplace_back(i, v);
      } else if (isa<DefaultStmt>(l))
        dflt = i;
    }
  cur().targets.back().push_back(jump_target{false, fr().scopes.size(), {}, {}, false, false});
  flow f;
  if (c.known()) {
    std::optional<std::size_t> start = dflt;
    for (const auto &[i, v] : labels)
      if (v && *v == c.n) {
        start = i;
        break;
      }
    f = start ? run_cases(stmts, *start) : flow::normal;
  } else {
    std::vector<std::optional<std::size_t>> starts;
    for (const auto &l : labels) starts.push_back(l.first);
    starts.push_back(dflt); // the default, or no case at all
    f = exec_undecided(
        static_cast<int>(starts.size()),
        [&](int k) { return starts[k] ? run_cases(stmts, *starts[k]) : flow::normal; },
        "the switch at " + where(sw->getBeginLoc()) + " on " + c.why);
  }
  jump_target done = std::move(cur().targets.back().back());
  cur().targets.back().pop_back();
  if (f == flow::brk || f == flow::normal) {
    if (f == flow::normal) done.exits.push_back(cur().now);
    cur().now = join(done.exits);
    return flow::normal;
  }
  return f;
}

evaluator::flow evaluator::run_cases(const std::vector<const Stmt *> &stmts, std::size_t from) {
  for (std::size_t i = from; i < stmts.size(); ++i) {
    const Stmt *s = stmts[i];
    while (const auto *label = dyn_cast<SwitchCase>(s)) s = label->getSubStmt();
    const flow f = exec(s);
    if (f != flow::normal || halted()) return f;
  }
  return flow::normal;
}

// --- memory -----------------------------------------------------------------------------------

int evaluator::make_cell(std::string name) {
  if (heap_.size() >= lim_.cells) {
    if (!out_of_steps_)
      remarks_.insert("remark: more than " + std::to_string(lim_.cells) +
                      " objects; the rest of the program is not followed "
                      "[gridlock-check]");
    out_of_steps_ = true;
    return 0;
  }
  heap_.emplace_back();
  heap_.back().name = std::move(name);
  return static_cast<int>(heap_.size()) - 1;
}

value evaluator::load(int c) { return at(c).v; }

int evaluator::object_behind(const value &v) {
  if (v.k != value::kind::address) return -1;
  const cell &c = at(v.cell);
  if (!c.type && c.fields.empty() && c.v.k == value::kind::address) return c.v.cell;
  return v.cell;
}

int evaluator::lookup(const ValueDecl *d) {
  const frame &f = fr();
  if (auto it = f.vars.find(d); it != f.vars.end()) return it->second;
  if (f.closure >= 0)
    if (auto it = at(f.closure).fields.find(d); it != at(f.closure).fields.end()) return it->second;
  if (auto it = globals_.find(d); it != globals_.end()) return it->second;
  const std::string name = ast::name(d).str();
  const auto *v = dyn_cast<VarDecl>(d);
  const int c = make_cell(name);
  if (v && v->hasGlobalStorage()) {
    globals_[d] = c;
    if (const Expr *init = v->getInit()) {
      if (v->getType()->isReferenceType())
        globals_[d] = lval(init);
      else
        init_cell(c, init, v->getType());
    } else
      at(c).v = value::number(0);
    return globals_[d];
  }
  fr().vars[d] = c;
  // A constant of an enclosing function a lambda uses without capturing it.
  if (v && v->getInit() && v->getType().isConstQualified())
    init_cell(c, v->getInit(), v->getType());
  else
    at(c).v = value::unknown("'" + name + "'");
  return c;
}

int evaluator::field(int object, const FieldDecl *f) {
  if (object < 0) return make_cell(ast::name(f).str());
  const void *key = key_of(f);
  if (auto it = at(object).fields.find(key); it != at(object).fields.end()) return it->second;
  const auto *parent = dyn_cast<CXXRecordDecl>(f->getParent());
  const std::string owner = parent && !parent->isLambda() ? ast::name(parent).str() + "::" : "";
  const int c = make_cell(owner + ast::name(f).str());
  at(c).v = value::unknown("the field '" + ast::name(f).str() + "'");
  at(object).fields[key] = c;
  return c;
}

// Fields are keyed by one declaration per field of the program: a field declared in a header
// has one FieldDecl in each translation unit's AST, and code of several units may reach it.
const void *evaluator::key_of(const FieldDecl *f) {
  if (!resolve_) return f;
  auto [it, fresh] = field_keys_.try_emplace(f, f);
  if (fresh)
    if (std::string usr = usr_of(*f); !usr.empty())
      it->second = canonical_fields_.try_emplace(std::move(usr), f).first->second;
  return it->second;
}

void evaluator::bind_reference(int object, const FieldDecl *f, int target) {
  const void *key = key_of(f);
  at(object).fields[key] = target;
  at(object).refs.push_back(key);
}

bool evaluator::followed(QualType t) const {
  const auto *r = t.getNonReferenceType()->getAsCXXRecordDecl();
  if (!r || host_.opaque(*r)) return false;
  if (r->isLambda()) return true;
  if (ast::in_namespace(r, "std")) return ast::name(r) == "pair";
  return true;
}

int evaluator::temporary(const Expr *e) {
  const int c = make_cell("");
  init_cell(c, e, e->getType());
  return c;
}

// Initialises object `c` of type t from `init` (a declaration's initialiser, an argument bound
// to a parameter by value, a member initialiser).
void evaluator::init_cell(int c, const Expr *init, QualType t) {
  while (true) {
    if (const auto *w = dyn_cast<ExprWithCleanups>(init))
      init = w->getSubExpr();
    else if (const auto *d = dyn_cast<CXXDefaultInitExpr>(init))
      init = d->getExpr();
    else if (const auto *d = dyn_cast<CXXDefaultArgExpr>(init))
      init = d->getExpr();
    else if (const auto *b = dyn_cast<CXXBindTemporaryExpr>(init))
      init = b->getSubExpr();
    else if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(init))
      init = m->getSubExpr();
    else if (const auto *p = dyn_cast<ParenExpr>(init))
      init = p->getSubExpr();
    else if (const auto *k = dyn_cast<ConstantExpr>(init))
      init = k->getSubExpr();
    else if (const auto *cast = dyn_cast<ImplicitCastExpr>(init);
             cast &&
             (cast->getCastKind() == CK_NoOp || cast->getCastKind() == CK_ConstructorConversion))
      init = cast->getSubExpr();
    else
      break;
  }
  if (const auto *ce = dyn_cast<CXXConstructExpr>(init)) return construct(ce, c);
  if (const auto *l = dyn_cast<LambdaExpr>(init)) {
    make_closure(l, c);
    return;
  }
  if (const auto *il = dyn_cast<InitListExpr>(init)) {
    const auto *r = t.getNonReferenceType()->getAsCXXRecordDecl();
    if (r && followed(t) && r->hasDefinition() && !il->isTransparent()) {
      unsigned i = 0;
      for (const FieldDecl *f : r->fields()) {
        if (i >= il->getNumInits()) break;
        const Expr *e = il->getInit(i++);
        if (f->getType()->isReferenceType()) {
          bind_reference(c, f, lval(e));
        } else
          init_cell(field(c, f), e, f->getType());
      }
      if (!at(c).type) at(c).type = r;
      return;
    }
    if (il->getNumInits() == 1) return init_cell(c, il->getInit(0), t);
    for (const Expr *e : il->inits()) eval(e);
    at(c).v = value::unknown("an initialiser list at " + where(il->getBeginLoc()));
    return;
  }
  const value x = eval(init);
  const bool object = t.getNonReferenceType()->isRecordType();
  if (object && x.k == value::kind::address && x.cell != c) {
    if (followed(t))
      copy_object(c, x.cell);
    else
      copy_opaque(c, x.cell);
    return;
  }
  at(c).v = x;
}

// A copy of an object of a class the evaluator does not look into: its value, and what it
// refers to (an optional's known content).
void evaluator::copy_opaque(int to, int from) {
  if (from < 0 || from == to) return;
  const cell src = at(from);
  at(to).v = src.v;
  at(to).fields = src.fields;
}

void evaluator::copy_object(int to, int from) {
  if (from < 0 || from == to) return;
  const cell src = at(from);
  at(to).v = src.v;
  at(to).type = src.type;
  at(to).this_cell = src.this_cell;
  at(to).refs = src.refs;
  for (const auto &[key, c] : src.fields) {
    if (std::find(src.refs.begin(), src.refs.end(), key) != src.refs.end()) {
      at(to).fields[key] = c;
      continue;
    }
    const int copy = make_cell(at(c).name);
    copy_object(copy, c);
    at(to).fields[key] = copy;
  }
}

void evaluator::construct(const CXXConstructExpr *ce, int target) {
  if (host_.construct(*this, *ce, target)) return;
  const CXXConstructorDecl *ctor = ce->getConstructor();
  const QualType t = ce->getType();
  std::vector<const Expr *> args(ce->arg_begin(), ce->arg_end());
  if (!followed(t)) {
    const auto *r = t->getAsCXXRecordDecl();
    if (ctor->isCopyOrMoveConstructor() && !args.empty()) {
      copy_opaque(target, lval(args[0]));
      return;
    }
    if (r && ast::in_namespace(r, "std") && ast::name(r) == "function" && !args.empty()) {
      at(target).v = eval(args[0]); // the callable it holds
      return;
    }
    if (is_smart_pointer(t) && !args.empty()) {
      at(target).v = eval(args[0]);
      return;
    }
    if (is_optional(t) && !args.empty()) { // optional(value) or optional(in_place, args...)
      const QualType held = optional_value_type(t);
      if (ast::is_class(args[0]->getType(), "std", {"in_place_t"})) {
        args.erase(args.begin());
        at(target).v = value::address(make_value(held, args, ce->getBeginLoc()));
        return;
      }
      if (!held.isNull() && args.size() == 1 &&
          !ast::is_class(args[0]->getType(), "std", {"nullopt_t"})) {
        const int c = make_cell("");
        init_cell(c, args[0], held);
        at(target).v = value::address(c);
        return;
      }
    }
    for (const Expr *a : args) eval(a);
    at(target).v = value::unknown("an object of class '" + (r ? ast::name(r).str() : "") + "'");
    return;
  }
  if (ctor->isCopyOrMoveConstructor() && !args.empty() &&
      (ctor->isTrivial() || ctor->isDefaulted() || !own_definition(ctor))) {
    copy_object(target, lval(args[0]));
    return;
  }
  if (!at(target).type) at(target).type = ctor->getParent();
  const FunctionDecl *def = own_definition(ctor);
  const auto *cdef = dyn_cast_or_null<CXXConstructorDecl>(def);
  if (!cdef && ctor->isImplicit()) cdef = ctor; // an implicit constructor Clang defined
  if (!cdef) {
    for (const Expr *a : args) eval(a);
    return;
  }
  std::optional<frame> f = bind(*cdef, args, target, -1, ce->getBeginLoc());
  if (!f) return;
  f->ctor_target = target;
  run_frame(std::move(*f));
}

// A new object of type t made from `args` by the constructor that takes that many (what
// std::optional::emplace and in_place do); its cell.
int evaluator::make_value(QualType t, const std::vector<const Expr *> &args,
                          SourceLocation at_loc) {
  const int c = make_cell("");
  const auto *r = t.isNull() ? nullptr : t->getAsCXXRecordDecl();
  if (!r || !r->hasDefinition() || !followed(t)) {
    for (const Expr *a : args) eval(a);
    if (args.size() == 1) init_cell(c, args[0], t);
    return c;
  }
  const CXXConstructorDecl *chosen = nullptr;
  for (const CXXConstructorDecl *k : r->ctors())
    if (!k->isCopyOrMoveConstructor() && k->getMinRequiredArguments() <= args.size() &&
        args.size() <= k->getNumParams())
      chosen = chosen ? chosen : k;
  at(c).type = r;
  const FunctionDecl *def = chosen ? own_definition(chosen) : nullptr;
  const auto *cdef = dyn_cast_or_null<CXXConstructorDecl>(def);
  if (!cdef) {
    for (const Expr *a : args) eval(a);
    return c;
  }
  if (std::optional<frame> f = bind(*cdef, args, c, -1, at_loc)) {
    f->ctor_target = c;
    run_frame(std::move(*f));
  }
  return c;
}

// std::optional's members: emplace makes the held object, ->, * and value() reach it.
std::optional<value> evaluator::optional_call(const CallExpr *c, const CXXMethodDecl &m) {
  const llvm::StringRef name = ast::name(&m);
  const OverloadedOperatorKind op = m.getOverloadedOperator();
  const bool test = isa<CXXConversionDecl>(m) || name == "has_value";
  if (!is_optional(m.getThisObjectType()) ||
      (name != "emplace" && name != "value" && name != "reset" && name != "value_or" &&
       op != OO_Arrow && op != OO_Star && !test))
    return std::nullopt;
  const int self_cell = self(*c);
  const auto held = at(self_cell).fields.find(held_key());
  const int content = held == at(self_cell).fields.end() ? -1 : held->second;
  if (name == "value_or") { // the default is evaluated either way
    for (const Expr *a : arguments(c)) eval(a);
    if (content >= 0) return load(content);
    if (at(self_cell).v.k == value::kind::address) return load(at(self_cell).v.cell);
    return value::unknown("the value of an optional");
  }
  if (content >= 0 && (op == OO_Arrow || op == OO_Star || name == "value"))
    return value::address(content);
  if (test) { // engaged: what it holds is an object; a receive's result: unknown, from that op
    const value held = at(self_cell).v;
    if (held.k == value::kind::address) return value::number(1);
    if (held.k == value::kind::unknown) return held;
    return value::unknown("whether an optional holds a value");
  }
  if (name == "emplace") {
    const int held =
        make_value(optional_value_type(m.getThisObjectType()), arguments(c), c->getBeginLoc());
    at(self_cell).v = value::address(held);
    return value::address(held);
  }
  if (op == OO_Arrow || op == OO_Star || name == "value") {
    const value held = at(self_cell).v;
    if (held.k == value::kind::address) return held;
    return value::address(make_cell(""));
  }
  if (name == "reset") {
    at(self_cell).v = value::unknown("an empty optional");
    return value::unknown("void");
  }
  return std::nullopt;
}

// A constructor's member and base initialisers, in the constructor's frame.
void evaluator::run_initialisers(const CXXConstructorDecl &ctor, int target) {
  for (const CXXCtorInitializer *init : ctor.inits()) {
    const Expr *e = init->getInit();
    if (!e) continue;
    if (const FieldDecl *f = init->getMember()) {
      if (f->getType()->isReferenceType()) {
        bind_reference(target, f, lval(e));
      } else
        init_cell(field(target, f), e, f->getType());
    } else if (init->isBaseInitializer() || init->isDelegatingInitializer()) {
      const Expr *x = e;
      if (const auto *w = dyn_cast<ExprWithCleanups>(x)) x = w->getSubExpr();
      if (const auto *ce = dyn_cast<CXXConstructExpr>(x)) construct(ce, target);
    }
  }
}

int evaluator::make_closure(const LambdaExpr *l, int c) {
  if (c < 0) c = make_cell("lambda");
  at(c).type = l->getLambdaClass();
  auto init = l->capture_init_begin();
  for (const LambdaCapture &cap : l->captures()) {
    const Expr *ie = init != l->capture_init_end() ? *init : nullptr;
    if (init != l->capture_init_end()) ++init;
    if (cap.capturesThis()) {
      at(c).this_cell = fr().this_cell;
      continue;
    }
    if (!cap.capturesVariable()) continue;
    const ValueDecl *var = cap.getCapturedVar();
    if (cap.getCaptureKind() == LCK_ByRef) {
      const int target = ie ? lval(ie) : lookup(var);
      at(c).fields[var] = target;
      at(c).refs.push_back(var);
      continue;
    }
    const int copy = make_cell(ast::name(var).str());
    if (ie)
      init_cell(copy, ie, var->getType());
    else
      copy_object(copy, lookup(var));
    at(c).fields[var] = copy;
  }
  return c;
}

// --- expressions ------------------------------------------------------------------------------

value evaluator::eval(const Expr *e) {
  if (!e || halted() || !spend(e->getBeginLoc())) return value::unknown("not evaluated");
  return eval_inner(e);
}

value evaluator::eval_inner(const Expr *e) {
  e = e->IgnoreParens();
  const QualType t = e->getType();
  if (const auto *c = dyn_cast<CastExpr>(e)) {
    switch (c->getCastKind()) {
    case CK_LValueToRValue:
      if (t->isRecordType()) return value::address(lval(c->getSubExpr()));
      if (auto k = constant(e)) return *k;
      return load(lval(c->getSubExpr()));
    case CK_ArrayToPointerDecay: return value::address(lval(c->getSubExpr()));
    case CK_NullToPointer: return value::number(0);
    case CK_ToVoid: eval(c->getSubExpr()); return value::unknown("void");
    case CK_NoOp:
    case CK_DerivedToBase:
    case CK_UncheckedDerivedToBase:
    case CK_BaseToDerived:
    case CK_FunctionToPointerDecay:
    case CK_ConstructorConversion:
    case CK_UserDefinedConversion:
    case CK_IntegralCast:
    case CK_IntegralToBoolean:
    case CK_BooleanToSignedIntegral:
    case CK_BitCast:
    case CK_Dependent: return eval(c->getSubExpr());
    case CK_PointerToBoolean: {
      const value p = eval(c->getSubExpr());
      if (p.k == value::kind::address || p.k == value::kind::function) return value::number(1);
      return p.known() ? value::number(p.n != 0) : p;
    }
    default:
      if (t->isIntegralOrEnumerationType() || t->isPointerType() || t->isBooleanType())
        return eval(c->getSubExpr());
      eval(c->getSubExpr());
      return value::unknown("a conversion at " + where(e->getBeginLoc()));
    }
  }
  if (const auto *d = dyn_cast<DeclRefExpr>(e)) return eval_ref(d);
  if (isa<CXXThisExpr>(e)) return value::address(fr().this_cell);
  if (const auto *u = dyn_cast<UnaryOperator>(e)) return eval_unary(u);
  if (const auto *b = dyn_cast<BinaryOperator>(e)) return eval_binary(b);
  if (const auto *c = dyn_cast<ConditionalOperator>(e)) {
    const value cond = eval(c->getCond());
    if (cond.known()) return eval(cond.n ? c->getTrueExpr() : c->getFalseExpr());
    const value a = eval(c->getTrueExpr()), b = eval(c->getFalseExpr());
    if (a.same(b) && a.k != value::kind::unknown) return a;
    return value::unknown(cond.why);
  }
  if (const auto *call = dyn_cast<CallExpr>(e)) return eval_call(call);
  if (const auto *ce = dyn_cast<CXXConstructExpr>(e)) {
    const int c = make_cell("");
    construct(ce, c);
    return value::address(c);
  }
  if (isa<InitListExpr>(e) && t->isRecordType()) {
    const int c = make_cell("");
    init_cell(c, e, t);
    return value::address(c);
  }
  if (const auto *l = dyn_cast<LambdaExpr>(e)) return value::address(make_closure(l, -1));
  if (const auto *n = dyn_cast<CXXNewExpr>(e)) {
    const int c = make_cell("new " + n->getAllocatedType().getAsString());
    if (const Expr *init = n->getInitializer()) init_cell(c, init, n->getAllocatedType());
    return value::address(c);
  }
  if (const auto *w = dyn_cast<FullExpr>(e)) return eval(w->getSubExpr());
  if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(e)) {
    if (t->isRecordType()) return value::address(lval(e));
    return eval(m->getSubExpr());
  }
  if (const auto *b = dyn_cast<CXXBindTemporaryExpr>(e)) return eval(b->getSubExpr());
  if (const auto *d = dyn_cast<CXXDefaultArgExpr>(e)) return eval(d->getExpr());
  if (const auto *d = dyn_cast<CXXDefaultInitExpr>(e)) return eval(d->getExpr());
  if (const auto *b = dyn_cast<CXXBoolLiteralExpr>(e)) return value::number(b->getValue());
  if (isa<CXXNullPtrLiteralExpr>(e)) return value::number(0);
  if (isa<MemberExpr>(e)) {
    if (t->isRecordType() || t->isArrayType()) return value::address(lval(e));
    if (auto k = constant(e)) return *k;
    return load(lval(e));
  }
  if (auto k = constant(e)) return *k;
  for (const Stmt *child : e->children()) // effects of what is not evaluated (i++ in a[i++])
    if (const auto *x = dyn_cast_or_null<Expr>(child)) eval(x);
  if (t->isRecordType()) return value::address(make_cell(""));
  return value::unknown("the expression at " + where(e->getBeginLoc()));
}

std::optional<value> evaluator::constant(const Expr *e) {
  if (e->isValueDependent() || e->isTypeDependent() || !e->getType()->isIntegralOrEnumerationType())
    return std::nullopt;
  // Only what needs no variable of the program (literals, enumerators, constexpr, sizeof).
  Expr::EvalResult r;
  if (!e->EvaluateAsInt(r, context(), Expr::SE_NoSideEffects) || !r.Val.isInt())
    return std::nullopt;
  if (r.Val.getInt().getSignificantBits() > 64) return std::nullopt;
  return value::number(r.Val.getInt().getExtValue());
}

value evaluator::eval_ref(const DeclRefExpr *d) {
  const ValueDecl *decl = d->getDecl();
  if (const auto *f = dyn_cast<FunctionDecl>(decl)) return value::function(f);
  if (const auto *c = dyn_cast<EnumConstantDecl>(decl))
    return value::number(c->getInitVal().getExtValue());
  if (!isa<VarDecl, BindingDecl>(decl)) return value::unknown("'" + ast::name(decl).str() + "'");
  const int c = lookup(decl);
  const QualType t = decl->getType().getNonReferenceType();
  if (t->isRecordType() || t->isArrayType()) return value::address(c);
  return load(c);
}

value evaluator::eval_unary(const UnaryOperator *u) {
  switch (u->getOpcode()) {
  case UO_AddrOf: {
    const Expr *sub = u->getSubExpr()->IgnoreParens();
    if (const auto *d = dyn_cast<DeclRefExpr>(sub))
      if (const auto *f = dyn_cast<FunctionDecl>(d->getDecl())) return value::function(f);
    return value::address(lval(sub));
  }
  case UO_Deref: {
    const value p = eval(u->getSubExpr());
    if (p.k == value::kind::address) {
      if (u->getType()->isRecordType()) return p;
      return load(p.cell);
    }
    return value::unknown("memory behind a pointer at " + where(u->getBeginLoc()));
  }
  case UO_PreInc:
  case UO_PreDec:
  case UO_PostInc:
  case UO_PostDec: {
    const int c = lval(u->getSubExpr());
    const value old = load(c);
    value now = old;
    if (old.known()) now.n += u->isIncrementOp() ? 1 : -1;
    at(c).v = now;
    return u->isPrefix() ? now : old;
  }
  default: break;
  }
  const value x = eval(u->getSubExpr());
  if (u->getOpcode() == UO_LNot && (x.k == value::kind::address || x.k == value::kind::function))
    return value::number(0);
  if (!x.known()) return x.k == value::kind::unknown ? x : value::unknown("an address");
  switch (u->getOpcode()) {
  case UO_Minus: return value::number(-x.n);
  case UO_Plus: return x;
  case UO_LNot: return value::number(!x.n);
  case UO_Not: return value::number(~x.n);
  default: return value::unknown("the expression at " + where(u->getBeginLoc()));
  }
}

value evaluator::eval_binary(const BinaryOperator *b) {
  const auto op = b->getOpcode();
  if (op == BO_Comma) {
    eval(b->getLHS());
    return eval(b->getRHS());
  }
  if (b->isAssignmentOp()) {
    const int c = lval(b->getLHS());
    value v = eval(b->getRHS());
    if (b->isCompoundAssignmentOp())
      v = arithmetic(BinaryOperator::getOpForCompoundAssignment(op), load(c), v, b);
    at(c).v = v;
    return v;
  }
  if (op == BO_LAnd || op == BO_LOr) { // a known deciding side is enough
    const value l = eval(b->getLHS());
    if (l.known() && (op == BO_LAnd ? !l.n : l.n)) return value::number(op == BO_LOr);
    const value r = eval(b->getRHS());
    if (r.known() && (op == BO_LAnd ? !r.n : r.n)) return value::number(op == BO_LOr);
    if (l.known() && r.known()) return value::number(op == BO_LAnd ? (l.n && r.n) : (l.n || r.n));
    return l.known() ? r : l;
  }
  return arithmetic(op, eval(b->getLHS()), eval(b->getRHS()), b);
}

value evaluator::arithmetic(BinaryOperatorKind op, const value &l, const value &r, const Expr *e) {
  if ((op == BO_EQ || op == BO_NE) && l.k == value::kind::address && r.k == value::kind::address)
    return value::number((l.cell == r.cell) == (op == BO_EQ));
  if (!l.known()) return l.k == value::kind::unknown ? l : value::unknown("an address");
  if (!r.known()) return r.k == value::kind::unknown ? r : value::unknown("an address");
  const long long x = l.n, y = r.n;
  const auto wrap = [](unsigned long long v) { return value::number(static_cast<long long>(v)); };
  switch (op) {
  case BO_Add: return wrap(static_cast<unsigned long long>(x) + static_cast<unsigned long long>(y));
  case BO_Sub: return wrap(static_cast<unsigned long long>(x) - static_cast<unsigned long long>(y));
  case BO_Mul: return wrap(static_cast<unsigned long long>(x) * static_cast<unsigned long long>(y));
  case BO_Div:
  case BO_Rem:
    if (y == 0 || (x == LLONG_MIN && y == -1))
      return value::unknown("a division by zero at " + where(e->getBeginLoc()));
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
  case BO_Shl:
    return y >= 0 && y < 63 ? wrap(static_cast<unsigned long long>(x) << y)
                            : value::unknown("a shift");
  case BO_Shr: return y >= 0 && y < 63 ? value::number(x >> y) : value::unknown("a shift");
  default: return value::unknown("the expression at " + where(e->getBeginLoc()));
  }
}

int evaluator::lval(const Expr *e) {
  if (!e || halted() || !spend(e->getBeginLoc())) return make_cell("");
  const int c = lval_inner(e);
  return c >= 0 ? c : make_cell("");
}

int evaluator::lval_inner(const Expr *e) {
  e = e->IgnoreParens();
  if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
    if (isa<VarDecl, BindingDecl>(d->getDecl())) return lookup(d->getDecl());
    return -1;
  }
  if (const auto *m = dyn_cast<MemberExpr>(e)) {
    const ValueDecl *member = m->getMemberDecl();
    if (isa<VarDecl>(member)) return lookup(member); // a static member
    const int base = m->isArrow() ? object_behind(eval(m->getBase())) : lval(m->getBase());
    if (const auto *f = dyn_cast<FieldDecl>(member)) return field(base, f);
    return -1;
  }
  if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_Deref)
    return object_behind(eval(u->getSubExpr()));
  if (const auto *c = dyn_cast<CastExpr>(e)) {
    switch (c->getCastKind()) {
    case CK_NoOp:
    case CK_DerivedToBase:
    case CK_UncheckedDerivedToBase:
    case CK_BaseToDerived:
    case CK_LValueToRValue:
    case CK_ConstructorConversion:
    case CK_UserDefinedConversion: return lval(c->getSubExpr());
    default: return temporary(e);
    }
  }
  if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(e)) return temporary(m->getSubExpr());
  if (const auto *b = dyn_cast<CXXBindTemporaryExpr>(e)) return lval(b->getSubExpr());
  if (const auto *w = dyn_cast<FullExpr>(e)) return lval(w->getSubExpr());
  if (const auto *c = dyn_cast<ConditionalOperator>(e)) {
    const value cond = eval(c->getCond());
    if (cond.known()) return lval(cond.n ? c->getTrueExpr() : c->getFalseExpr());
    return temporary(e);
  }
  if (const auto *b = dyn_cast<BinaryOperator>(e)) {
    if (b->getOpcode() == BO_Comma) {
      eval(b->getLHS());
      return lval(b->getRHS());
    }
    if (b->isAssignmentOp()) {
      eval(b);
      return lval(b->getLHS());
    }
  }
  if (const auto *call = dyn_cast<CallExpr>(e)) {
    const value v = eval_call(call);
    if (call->isGLValue() || call->getType()->isRecordType()) {
      if (v.k == value::kind::address) return v.cell;
      const int c = make_cell("");
      at(c).v = v;
      return c;
    }
    const int c = make_cell("");
    at(c).v = v;
    return c;
  }
  if (isa<CXXThisExpr>(e)) return -1;
  return temporary(e);
}

// --- calls ------------------------------------------------------------------------------------

const FunctionDecl *evaluator::own_definition(const FunctionDecl *f) {
  if (!f) return nullptr;
  const FunctionDecl *def = f->getDefinition();
  if (!def && resolve_ && !ast::in_namespace(f, "std") && !ast::in_namespace(f, "gridlock") &&
      !f->getASTContext().getSourceManager().isInSystemHeader(f->getLocation()))
    def = resolve_(*f); // defined in another translation unit of the program
  if (!def || !def->hasBody() || def->isDependentContext()) return nullptr;
  if (is_std_function(def, {"make_unique", "make_shared"})) return def;
  if (def->getASTContext().getSourceManager().isInSystemHeader(def->getLocation()) ||
      ast::in_namespace(def, "std") || ast::in_namespace(def, "gridlock"))
    return nullptr;
  return def;
}

int evaluator::self(const CallExpr &c) {
  if (const auto *m = dyn_cast<CXXMemberCallExpr>(&c)) {
    const Expr *obj = m->getImplicitObjectArgument();
    if (!obj) return -1;
    const auto *me = dyn_cast<MemberExpr>(m->getCallee()->IgnoreParens());
    if (me && me->isArrow()) return object_behind(eval(obj));
    return lval(obj);
  }
  if (isa<CXXOperatorCallExpr>(c) && c.getNumArgs() > 0 &&
      isa_and_nonnull<CXXMethodDecl>(c.getDirectCallee()))
    return lval(c.getArg(0));
  return -1;
}

value evaluator::eval_call(const CallExpr *c) {
  if (auto v = host_.call(*this, *c)) return *v;
  const FunctionDecl *f = c->getDirectCallee();
  const SourceLocation at_loc = c->getBeginLoc();
  if (!f) { // through a variable holding a function or a closure
    const value callee = eval(c->getCallee());
    return call_value(callee, arguments(c), at_loc);
  }
  if (is_std_function(f, {"move", "forward", "ref", "cref", "as_const", "addressof"}) &&
      c->getNumArgs() == 1) {
    if (ast::name(f) == "addressof") return value::address(lval(c->getArg(0)));
    const QualType t = c->getArg(0)->getType();
    if (t->isRecordType() || t->isArrayType()) return value::address(lval(c->getArg(0)));
    return eval(c->getArg(0));
  }
  if (ast::name(f) == "exit" || ast::name(f) == "_exit" || ast::name(f) == "abort" ||
      ast::name(f) == "quick_exit" || ast::name(f) == "pthread_exit" ||
      is_std_function(f, {"terminate"})) {
    for (const Expr *a : arguments(c)) eval(a);
    stop_actor();
    return value::unknown("exit");
  }
  if (const auto *op = dyn_cast<CXXOperatorCallExpr>(c)) {
    const auto *method = dyn_cast<CXXMethodDecl>(f);
    const QualType self_type = c->getNumArgs() > 0 ? c->getArg(0)->getType() : QualType();
    if (method && is_smart_pointer(self_type) &&
        (op->getOperator() == OO_Arrow || op->getOperator() == OO_Star))
      return at(lval(c->getArg(0))).v;
    if (method && op->getOperator() == OO_Call && !own_definition(method))
      return call_value(at(lval(c->getArg(0))).v, arguments(c), at_loc); // std::function
    if (method && method->isCopyAssignmentOperator() | method->isMoveAssignmentOperator() &&
        !own_definition(method) && c->getNumArgs() == 2) {
      const int to = lval(c->getArg(0));
      const int from = lval(c->getArg(1));
      if (followed(self_type))
        copy_object(to, from);
      else
        at(to).v = at(from).v;
      return value::address(to);
    }
  }
  if (const auto *m = dyn_cast<CXXMethodDecl>(f); m && m->isInstance()) {
    if (auto v = optional_call(c, *m)) return *v;
    if (is_smart_pointer(m->getThisObjectType()) && ast::name(m) == "get") return at(self(*c)).v;
    const FunctionDecl *def = own_definition(m);
    const bool lambda = m->getParent()->isLambda();
    if (!def) return library_call(c, f);
    int object = self(*c);
    if (m->isVirtual() && object >= 0)
      if (const CXXRecordDecl *dyn = at(object).type)
        if (const CXXMethodDecl *over = m->getCorrespondingMethodInClass(dyn))
          if (const FunctionDecl *d = own_definition(over)) def = d;
    return call(*def, arguments(c), lambda ? at(object).this_cell : object, lambda ? object : -1,
                at_loc);
  }
  if (const FunctionDecl *def = own_definition(f)) return call(*def, arguments(c), -1, -1, at_loc);
  return library_call(c, f);
}

// A function gridlock-check does not look into: what it may write through a pointer becomes
// unknown.
value evaluator::library_call(const CallExpr *c, const FunctionDecl *f) {
  const std::string name = ast::name(f).str();
  const std::string at_loc = where(c->getBeginLoc());
  if (isa<CXXMemberCallExpr>(c)) self(*c);
  const std::string why = "a value written by " + name + "() at " + at_loc;
  for (const Expr *a : arguments(c)) {
    const value v = eval(a);
    if (v.k != value::kind::address || v.cell < 0) continue;
    if (a->getType()->isPointerType() && !a->getType()->getPointeeType().isConstQualified() &&
        !at(v.cell).type)
      at(v.cell).v = value::unknown(why);
    forget_captures(v, why);
  }
  if (c->getType()->isRecordType()) return value::address(make_cell(""));
  return value::unknown("the result of " + name + "() at " + at_loc);
}

void evaluator::forget_captures(const value &closure, const std::string &why) {
  if (closure.k != value::kind::address || closure.cell < 0) return;
  const CXXRecordDecl *r = at(closure.cell).type;
  if (!r || !r->isLambda()) return;
  const cell c = at(closure.cell);
  for (const void *key : c.refs)
    if (auto it = c.fields.find(key); it != c.fields.end()) at(it->second).v = value::unknown(why);
}

std::optional<evaluator::frame> evaluator::bind(const FunctionDecl &def,
                                                const std::vector<const Expr *> &args,
                                                int this_cell, int closure, SourceLocation at_loc) {
  if (cur().frames.size() >= static_cast<std::size_t>(lim_.depth)) {
    remark(at_loc, "calls nested deeper than " + std::to_string(lim_.depth) +
                       " are not followed (" + ast::name(&def).str() + ")");
    for (const Expr *a : args) eval(a);
    return std::nullopt;
  }
  frame f;
  f.fn = &def;
  f.this_cell = this_cell;
  f.closure = closure;
  for (unsigned i = 0; i < def.getNumParams(); ++i) {
    const ParmVarDecl *p = def.getParamDecl(i);
    const Expr *arg = i < args.size() ? args[i] : p->getDefaultArg();
    const std::string name = ast::name(p).str();
    if (!arg) {
      const int c = make_cell(name);
      at(c).v = value::unknown("'" + name + "'");
      f.vars[p] = c;
    } else if (p->getType()->isReferenceType()) {
      const Expr *x = arg;
      if (const auto *call = dyn_cast<CallExpr>(x->IgnoreParenImpCasts());
          call && is_std_function(call->getDirectCallee(), {"ref", "cref"}) &&
          call->getNumArgs() == 1)
        x = call->getArg(0);
      f.vars[p] = lval(x);
    } else {
      const int c = make_cell(name);
      init_cell(c, arg, p->getType());
      f.vars[p] = c;
    }
  }
  for (std::size_t i = def.getNumParams(); i < args.size(); ++i) eval(args[i]); // variadic
  return f;
}

std::optional<evaluator::frame> evaluator::bind_callable(const value &callee,
                                                         const std::vector<const Expr *> &args,
                                                         SourceLocation at_loc) {
  if (callee.k == value::kind::function) {
    const FunctionDecl *def = own_definition(callee.fn);
    if (!def) return std::nullopt;
    const auto *m = dyn_cast<CXXMethodDecl>(def);
    if (m && m->isInstance() && !m->getParent()->isLambda()) { // &C::f, object, args...
      if (args.empty()) return std::nullopt;
      const int object = object_behind(eval(args[0]));
      if (m->isVirtual() && object >= 0)
        if (const CXXRecordDecl *dyn = at(object).type)
          if (const CXXMethodDecl *over = m->getCorrespondingMethodInClass(dyn))
            if (const FunctionDecl *d = own_definition(over)) def = d;
      return bind(*def, {args.begin() + 1, args.end()}, object, -1, at_loc);
    }
    return bind(*def, args, -1, -1, at_loc);
  }
  const int object = object_behind(callee);
  if (object < 0) return std::nullopt;
  const CXXRecordDecl *r = at(object).type;
  if (!r && at(object).v.k == value::kind::function)
    return bind_callable(at(object).v, args, at_loc);
  if (!r || !r->hasDefinition()) return std::nullopt;
  const CXXMethodDecl *call_op = r->isLambda() ? r->getLambdaCallOperator() : nullptr;
  if (!call_op)
    for (const CXXMethodDecl *m : r->methods())
      if (m->getOverloadedOperator() == OO_Call) call_op = m;
  const FunctionDecl *def = own_definition(call_op);
  if (!def) return std::nullopt;
  return r->isLambda() ? bind(*def, args, at(object).this_cell, object, at_loc)
                       : bind(*def, args, object, -1, at_loc);
}

value evaluator::call_value(const value &callee, const std::vector<const Expr *> &args,
                            SourceLocation at_loc) {
  std::optional<frame> f = bind_callable(callee, args, at_loc);
  if (!f) {
    for (const Expr *a : args) eval(a);
    return value::unknown("the result of a call at " + where(at_loc));
  }
  return run_frame(std::move(*f));
}

value evaluator::call(const FunctionDecl &def, const std::vector<const Expr *> &args, int this_cell,
                      int closure, SourceLocation at_loc) {
  std::optional<frame> f = bind(def, args, this_cell, closure, at_loc);
  if (!f) return value::unknown("a call too deep");
  return run_frame(std::move(*f));
}

// Runs a bound frame to its end; the paths that return meet after it.
value evaluator::run_frame(frame f) {
  const FunctionDecl *fn = f.fn;
  const int target = f.ctor_target;
  reached_.insert(fn);
  cur().frames.push_back(std::move(f));
  cur().targets.emplace_back();
  if (target >= 0)
    if (const auto *ctor = dyn_cast<CXXConstructorDecl>(fn)) run_initialisers(*ctor, target);
  const flow fl = exec(fn->getBody());
  std::vector<path> paths = std::move(fr().returns);
  std::vector<value> returned = std::move(fr().returned);
  if (fl != flow::ret && !cur().stopped) paths.push_back(cur().now);
  cur().frames.pop_back();
  cur().targets.pop_back();
  if (!paths.empty()) cur().now = join(paths);
  const std::string result = "the result of " + ast::name(fn).str() + "()";
  if (returned.empty()) return value::unknown(result);
  for (const value &v : returned)
    if (!v.same(returned.front())) return value::unknown(result);
  return returned.front();
}

} // namespace gridlock::analyzer::engine
