#include "model_builder.hpp"

#include "ast_util.hpp"
#include "trip_count.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Analysis/Analyses/Dominators.h>
#include <clang/Analysis/CFG.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <memory>
#include <set>

namespace gridlock::analyzer {
namespace {

using namespace clang;
using ast::in_namespace;
using ast::is_class;
using ast::literal_in;
using ast::strip;

// What an expression denotes, as far as the model cares.
struct value {
  enum kind_t { none, end, mutex, aggregate } kind = none;
  int index = -1;        // channel or mutex
  bool send_end = false; // end: the sender (true) or the receiver
  // aggregate: a struct holding handles or mutexes (`pipes{std::move(tx), std::move(rx)}`)
  std::shared_ptr<const std::map<const FieldDecl *, value>> fields;
};

// The bindings of one function being walked: its parameters (and those of enclosing entries).
struct context {
  std::map<const ValueDecl *, value> bound;
  int entry = -1;
  int depth = 0; // helper-call nesting
};

// Does this expression start a thread? (gridlock::thread, std::thread, std::jthread,
// pthread_create)
bool starts_thread(const Stmt *s) {
  if (const auto *ce = dyn_cast<CXXConstructExpr>(s))
    return (is_class(ce->getType(), "gridlock", {"thread"}) ||
            is_class(ce->getType(), "std", {"thread", "jthread"})) &&
           ce->getNumArgs() > 0 && !ce->getConstructor()->isCopyOrMoveConstructor();
  if (const auto *call = dyn_cast<CallExpr>(s))
    if (const auto *fn = call->getDirectCallee()) return ast::name(fn) == "pthread_create";
  return false;
}

bool contains_thread_start(const Stmt *s) {
  if (!s) return false;
  if (starts_thread(s)) return true;
  for (const Stmt *child : s->children())
    if (contains_thread_start(child)) return true;
  return false;
}

class builder {
public:
  builder(ASTContext &ctx, const api_config &api, program_model &m)
      : ctx_(ctx), sm_(ctx.getSourceManager()), api_(api), m_(m) {}

  void start_entry_function(const FunctionDecl *fn, const std::string &name, SourceLocation where) {
    walk_entry(add_entry(name, where, false), fn);
  }
  void walk_entry(int e, const FunctionDecl *fn) {
    context c;
    c.entry = e;
    walk(fn, c, {});
  }
  void register_process(const std::string &id, int entry) { process_entry_[id] = entry; }
  int add_entry(const std::string &name, SourceLocation where, bool multi) {
    m_.entries.push_back(entry{name, loc(where), multi});
    return static_cast<int>(m_.entries.size()) - 1;
  }

private:
  source_loc loc(SourceLocation l) const { return ast::location(sm_, l); }
  std::string default_name(const char *what, SourceLocation l) const {
    return std::string(what) + " at " + ast::short_location(sm_, l);
  }

  // --- channels and mutexes -------------------------------------------------------------------

  // The channel made by `init` (a make_channel call), keyed by the declaration holding its ends:
  // `auto [tx, rx] = make_channel(...)` or `auto ch = make_channel(...)` (ch.first, ch.second).
  int channel_made_by(const Decl *key, const Expr *init) {
    if (auto it = channels_.find(key); it != channels_.end()) return it->second;
    const auto *call = dyn_cast_or_null<CallExpr>(strip(init));
    const FunctionDecl *fn = call ? call->getDirectCallee() : nullptr;
    if (!fn || !in_namespace(fn, "gridlock") ||
        (ast::name(fn) != "make_channel" && ast::name(fn) != "make_unbounded_channel"))
      return -1;
    channel ch;
    ch.unbounded = ast::name(fn) == "make_unbounded_channel";
    const unsigned name_arg = ch.unbounded ? 0 : 1;
    if (!ch.unbounded && call->getNumArgs() > 0) {
      Expr::EvalResult r;
      if (call->getArg(0)->EvaluateAsInt(r, ctx_)) ch.capacity = r.Val.getInt().getExtValue();
    }
    if (call->getNumArgs() > name_arg && !isa<CXXDefaultArgExpr>(call->getArg(name_arg)))
      ch.name = literal_in(call->getArg(name_arg)).value_or("");
    if (ch.name.empty()) ch.name = default_name("channel", call->getBeginLoc());
    ch.where = loc(call->getBeginLoc());
    return channels_[key] = add_channel(std::move(ch));
  }
  int add_channel(channel ch) {
    m_.channels.push_back(std::move(ch));
    return static_cast<int>(m_.channels.size()) - 1;
  }
  int mailbox_of(const VarDecl *v) {
    if (auto it = channels_.find(v); it != channels_.end()) return it->second;
    channel ch;
    ch.capacity = 0;
    ch.addressed = true;
    ch.name = literal_in(v->getInit()).value_or(default_name("mailbox", v->getLocation()));
    ch.where = loc(v->getLocation());
    return channels_[v] = add_channel(std::move(ch));
  }
  int mutex_of(const VarDecl *v) {
    if (auto it = mutexes_.find(v); it != mutexes_.end()) return it->second;
    m_.mutexes.push_back(literal_in(v->getInit()).value_or(ast::name(v).str()));
    return mutexes_[v] = static_cast<int>(m_.mutexes.size()) - 1;
  }

  value resolve(const Expr *e, const context &c, int depth = 0) {
    e = strip(e);
    if (!e || depth > 8) return {};
    if (const auto *me = dyn_cast<MemberExpr>(e)) return member(me, c, depth);
    if (const auto *init = dyn_cast<InitListExpr>(e)) return aggregate(init, c, depth);
    const auto *ref = dyn_cast<DeclRefExpr>(e);
    if (!ref) return {};
    return resolve_decl(ref->getDecl(), c, depth);
  }

  // s.field of a struct holding handles, or ch.first / ch.second of a make_channel pair.
  value member(const MemberExpr *me, const context &c, int depth) {
    const value base = resolve(me->getBase(), c, depth + 1);
    if (base.kind == value::aggregate) {
      const auto *field = dyn_cast<FieldDecl>(me->getMemberDecl());
      if (auto it = base.fields->find(field); field && it != base.fields->end()) return it->second;
      return {};
    }
    const auto *ref = dyn_cast<DeclRefExpr>(strip(me->getBase()));
    const auto *var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    const llvm::StringRef field = ast::name(me->getMemberDecl());
    if (!var || (field != "first" && field != "second")) return {};
    const int ch = channel_made_by(var, var->getInit());
    if (ch < 0) return {};
    return {value::end, ch, field == "first", nullptr};
  }

  // `pipes{std::move(tx), std::move(rx)}`: which field holds what.
  value aggregate(const InitListExpr *init, const context &c, int depth) {
    const auto *record = init->getType()->getAsRecordDecl();
    if (!record) return {};
    auto fields = std::make_shared<std::map<const FieldDecl *, value>>();
    unsigned i = 0;
    for (const FieldDecl *f : record->fields()) {
      if (i >= init->getNumInits()) break;
      const value v = resolve(init->getInit(i++), c, depth + 1);
      if (v.kind != value::none) (*fields)[f] = v;
    }
    if (fields->empty()) return {};
    return {value::aggregate, -1, false, std::move(fields)};
  }

  value resolve_decl(const ValueDecl *d, const context &c, int depth) {
    if (auto it = c.bound.find(d); it != c.bound.end()) return it->second;
    if (const auto *b = dyn_cast<BindingDecl>(d)) {
      const auto *decomp = dyn_cast_or_null<DecompositionDecl>(b->getDecomposedDecl());
      if (!decomp) return {};
      const int ch = channel_made_by(decomp, decomp->getInit());
      if (ch < 0) return {};
      const auto bindings = decomp->bindings();
      const bool first = !bindings.empty() && bindings.front() == b;
      return {value::end, ch, first, nullptr};
    }
    const auto *v = dyn_cast<VarDecl>(d);
    if (!v || isa<ParmVarDecl>(v)) return {};
    // A shared_mutex counts as a mutex: its write lock excludes readers, and under Go's policy
    // a waiting writer blocks new readers too.
    if (is_class(v->getType(), "gridlock", {"mutex", "shared_mutex"}) ||
        is_class(v->getType(), "std", {"mutex", "shared_mutex"}))
      return {value::mutex, mutex_of(v), false, nullptr};
    // A mailbox variable is that mailbox; a pointer to one could point anywhere (unknown).
    if (!v->getType()->isPointerType() && is_class(v->getType(), "gridlock", {"mailbox"}))
      return {value::end, mailbox_of(v), true, nullptr};
    if (v->getInit()) return resolve(v->getInit(), c, depth + 1);
    return {};
  }

  // --- walking a function ---------------------------------------------------------------------

  // Something found in a CFG block, in order: an operation, or a helper call to walk.
  struct event {
    const CFGBlock *block;
    unsigned index;
    int op = -1; // an op of this function
    const FunctionDecl *callee = nullptr;
    context callee_ctx;
  };

  void walk(const FunctionDecl *fn, const context &c, const std::vector<int> &outer_after) {
    if (!fn || !fn->hasBody() || walking_.count(fn)) return;
    walking_.insert(fn);
    CFG::BuildOptions bo;
    bo.AddImplicitDtors = true;
    std::unique_ptr<CFG> cfg = CFG::buildCFG(fn, fn->getBody(), &ctx_, bo);
    if (!cfg) {
      walking_.erase(fn);
      return;
    }
    CFGDomTree dom(cfg.get());
    std::vector<event> events;
    std::map<const VarDecl *, std::vector<int>> guards; // lock guard variable -> its lock ops
    for (const CFGBlock *b : *cfg) {
      unsigned index = 0;
      for (const CFGElement &el : *b) {
        const auto add_op = [&](int op) { events.push_back(event{b, index, op, nullptr, {}}); };
        if (auto s = el.getAs<CFGStmt>())
          visit(s->getStmt(), c, add_op, events, b, index, guards);
        else if (auto d = el.getAs<CFGAutomaticObjDtor>())
          if (auto g = guards.find(d->getVarDecl()); g != guards.end())
            for (int lock : g->second)
              add_op(new_op(op_kind::unlock, c.entry, m_.ops[lock].object,
                            d->getTriggerStmt() ? d->getTriggerStmt()->getEndLoc()
                                                : d->getVarDecl()->getLocation(),
                            nullptr, lock));
        ++index;
      }
    }
    const auto precedes = [&](const event &x, const event &y) {
      return x.block == y.block ? x.index < y.index : dom.dominates(x.block, y.block);
    };
    // x comes before y on some paths but not all: y's block is reachable from x's, not the reverse.
    std::map<const CFGBlock *, std::set<const CFGBlock *>> reach;
    const auto reaches = [&](const CFGBlock *from, const CFGBlock *to) {
      auto [it, fresh] = reach.try_emplace(from);
      if (fresh) {
        std::vector<const CFGBlock *> todo{from};
        while (!todo.empty()) {
          const CFGBlock *blk = todo.back();
          todo.pop_back();
          for (const CFGBlock *next : blk->succs())
            if (next && it->second.insert(next).second) todo.push_back(next);
        }
      }
      return it->second.count(to) > 0;
    };
    const auto maybe_precedes = [&](const event &x, const event &y) {
      return x.block != y.block && reaches(x.block, y.block) && !reaches(y.block, x.block);
    };
    // The CFG cannot tell that a counted loop runs: its unconditional operations come before
    // what follows the loop on every path.
    const auto runs_surely = [&](const event &x) {
      return x.op >= 0 && m_.ops[x.op].repeat && !m_.ops[x.op].conditional;
    };
    for (event &y : events) {
      std::vector<int> after = outer_after, maybe;
      for (const event &x : events) {
        if (x.op < 0 || &x == &y) continue;
        if (precedes(x, y) || (maybe_precedes(x, y) && runs_surely(x)))
          after.push_back(x.op);
        else if (maybe_precedes(x, y))
          maybe.push_back(x.op);
      }
      if (y.op >= 0) {
        m_.ops[y.op].after = std::move(after);
        m_.ops[y.op].after_maybe = std::move(maybe);
      } else {
        walk(y.callee, y.callee_ctx, after);
      }
    }
    walking_.erase(fn);
  }

  int new_op(op_kind k, int entry, int object, SourceLocation l, const Stmt *s,
             int pairs_with = -1) {
    op o;
    o.kind = k;
    o.entry = entry;
    o.object = object;
    o.where = loc(l);
    o.pairs_with = pairs_with;
    if (s) classify_position(s, o);
    m_.ops.push_back(std::move(o));
    return static_cast<int>(m_.ops.size()) - 1;
  }

  // Is s inside a loop, or on a path not always taken, within its function? A loop whose
  // condition is constant true (for (;;), while (true)) runs its body at least once; a counted
  // loop (ast::trip_count) exactly its count, which o.repeat multiplies up.
  void classify_position(const Stmt *s, op &o) {
    long long repeat = 1;
    bool counted = true;
    DynTypedNodeList parents = ctx_.getParents(*s);
    while (!parents.empty()) {
      const DynTypedNode &p = parents[0];
      if (p.get<FunctionDecl>() || p.get<LambdaExpr>()) break;
      if (const auto *f = p.get<ForStmt>()) {
        const std::optional<long long> n = ast::trip_count(*f, ctx_);
        if (n && *n > 0 && repeat <= (1LL << 40) / *n) {
          o.in_loop = true;
          repeat *= *n;
        } else if (f->getCond()) {
          mark_loop(f->getCond(), o);
          counted = false;
        } else {
          o.in_loop = true; // for (;;)
          counted = false;
        }
      } else if (const auto *w = p.get<WhileStmt>())
        mark_loop(w->getCond(), o);
      else if (p.get<DoStmt>())
        o.in_loop = true;
      else if (p.get<CXXForRangeStmt>())
        mark_loop(nullptr, o);
      else if (p.get<IfStmt>() || p.get<SwitchStmt>() || p.get<ConditionalOperator>() ||
               p.get<CXXCatchStmt>())
        o.conditional = true;
      else if (const auto *bin = p.get<BinaryOperator>(); bin && bin->isLogicalOp())
        o.conditional = true;
      if (p.get<WhileStmt>() || p.get<DoStmt>() || p.get<CXXForRangeStmt>()) counted = false;
      parents = ctx_.getParents(p);
    }
    if (o.in_loop && counted) o.repeat = repeat;
  }
  void mark_loop(const Expr *cond, op &o) {
    o.in_loop = true;
    bool always = false;
    if (!cond || cond->isValueDependent() || !cond->EvaluateAsBooleanCondition(always, ctx_))
      always = false;
    if (!always) o.conditional = true;
  }

  template <class AddOp>
  void visit(const Stmt *s, const context &c, const AddOp &add_op, std::vector<event> &events,
             const CFGBlock *b, unsigned index,
             std::map<const VarDecl *, std::vector<int>> &guards) {
    if (const auto *mc = dyn_cast<CXXMemberCallExpr>(s)) return member_call(mc, c, add_op);
    if (const auto *ds = dyn_cast<DeclStmt>(s)) {
      for (const Decl *d : ds->decls())
        if (const auto *v = dyn_cast<VarDecl>(d)) guard(v, c, add_op, guards);
      return;
    }
    if (const auto *ce = dyn_cast<CXXConstructExpr>(s)) return spawn_if_thread(ce, c);
    if (const auto *call = dyn_cast<CallExpr>(s)) {
      const FunctionDecl *fn = call->getDirectCallee();
      if (!fn) return;
      if (ast::name(fn) == "pthread_create" && call->getNumArgs() == 4)
        return spawn(call->getArg(2), {}, c, "pthread " + callable_name(call->getArg(2)),
                     call->getBeginLoc());
      if (!api_.gridlock && addressed_call(call, fn, c, add_op)) return;
      helper_call(call, fn, c, events, b, index);
    }
  }

  // --- operations -----------------------------------------------------------------------------

  template <class AddOp>
  void member_call(const CXXMemberCallExpr *mc, const context &c, const AddOp &add_op) {
    const CXXMethodDecl *m = mc->getMethodDecl();
    if (!m) return;
    const std::string name = ast::name(m).str();
    const QualType t = mc->getImplicitObjectArgument()->getType();
    const value v = resolve(mc->getImplicitObjectArgument(), c);
    // A handle gridlock could not follow (a struct field, a pointer): an unknown channel.
    const int ch = v.kind == value::end ? v.index : kUnknownChannel;
    const SourceLocation at = mc->getExprLoc();
    const auto add = [&](op_kind k, bool buffered = false) {
      const int o = new_op(k, c.entry, ch, at, mc);
      m_.ops[o].buffered_anyway = buffered;
      add_op(o);
    };
    if (is_class(t, "gridlock", {"sender"})) {
      if (name == "send")
        add(op_kind::send);
      else if (name == "close" && ch >= 0)
        add(op_kind::close);
    } else if (is_class(t, "gridlock", {"receiver"})) {
      if (name == "recv") add(op_kind::recv);
    } else if (is_class(t, "gridlock", {"mailbox"})) {
      if (name == "send")
        add(op_kind::send);
      else if (name == "post")
        add(op_kind::send, true);
      else if (name == "receive" || name == "receive_from" || name == "receive_all")
        add(op_kind::recv);
    } else if (v.kind == value::mutex) {
      if (name == "lock" || name == "lock_shared")
        add_op(new_op(op_kind::lock, c.entry, v.index, at, mc));
      else if (name == "unlock" || name == "unlock_shared")
        add_op(new_op(op_kind::unlock, c.entry, v.index, at, mc));
    }
  }

  // lock_guard / unique_lock / scoped_lock / shared_lock variables: lock now, unlock at the end of
  // the scope.
  template <class AddOp>
  void guard(const VarDecl *v, const context &c, const AddOp &add_op,
             std::map<const VarDecl *, std::vector<int>> &guards) {
    const bool is_guard =
        is_class(v->getType(), "gridlock", {"lock_guard", "shared_lock_guard"}) ||
        is_class(v->getType(), "std", {"lock_guard", "unique_lock", "scoped_lock", "shared_lock"});
    const auto *ce = dyn_cast_or_null<CXXConstructExpr>(strip(v->getInit()));
    if (!is_guard || !ce) return;
    for (unsigned i = 0; i < ce->getNumArgs(); ++i) {
      const value m = resolve(ce->getArg(i), c);
      if (m.kind != value::mutex) continue;
      const int op = new_op(op_kind::lock, c.entry, m.index, v->getLocation(), ce);
      guards[v].push_back(op);
      add_op(op);
    }
  }

  // User API: send(dest, ...) / receive(src, ...).
  template <class AddOp>
  bool addressed_call(const CallExpr *call, const FunctionDecl *fn, const context &c,
                      const AddOp &add_op) {
    const auto peer_of = [&](unsigned arg) -> int {
      if (arg >= call->getNumArgs()) return -1;
      const Expr *e = strip(call->getArg(arg));
      if (const auto *ref = dyn_cast<DeclRefExpr>(e)) {
        const std::string id = ast::name(ref->getDecl()).str();
        if (auto it = process_entry_.find(id); it != process_entry_.end()) return it->second;
      }
      return -1; // ANY, or not resolvable (m.source): any process
    };
    for (const auto &f : api_.sends)
      if (ast::name(fn) == f.name) {
        const int o = new_op(op_kind::send, c.entry, -1, call->getBeginLoc(), call);
        m_.ops[o].peer = peer_of(f.peer);
        m_.ops[o].buffered_anyway = !f.blocking;
        add_op(o);
        return true;
      }
    for (const auto &f : api_.receives)
      if (ast::name(fn) == f.name) {
        const int o = new_op(op_kind::recv, c.entry, -1, call->getBeginLoc(), call);
        m_.ops[o].peer = peer_of(f.peer);
        add_op(o);
        return true;
      }
    return false;
  }

  // A call to one of the program's own functions taking channel handles or mutexes: walk it with
  // its parameters bound (one level deep, as the order of the caller allows).
  void helper_call(const CallExpr *call, const FunctionDecl *fn, const context &c,
                   std::vector<event> &events, const CFGBlock *b, unsigned index) {
    if (c.depth >= 2 || !fn->hasBody() || in_namespace(fn, "std") || in_namespace(fn, "gridlock"))
      return;
    context callee = c;
    callee.depth = c.depth + 1;
    bool any = false;
    const unsigned offset = isa<CXXOperatorCallExpr>(call) ? 1 : 0;
    for (unsigned i = 0; i + offset < call->getNumArgs() && i < fn->getNumParams(); ++i) {
      const value v = resolve(call->getArg(i + offset), c);
      if (v.kind == value::none) continue;
      callee.bound[fn->getParamDecl(i)] = v;
      any = true;
    }
    // Walked: functions reached through their arguments, local lambdas, and functions that start
    // threads (their threads' handles come from this caller).
    const bool lambda = isa<CXXMethodDecl>(fn) && cast<CXXMethodDecl>(fn)->getParent()->isLambda();
    if (!any && !lambda && !starts_threads(fn)) return;
    event e{b, index, -1, fn, std::move(callee)};
    events.push_back(std::move(e));
  }

  // --- threads --------------------------------------------------------------------------------

  void spawn_if_thread(const CXXConstructExpr *ce, const context &c) {
    const QualType t = ce->getType();
    const bool gl = is_class(t, "gridlock", {"thread"});
    if (!gl && !is_class(t, "std", {"thread", "jthread"})) return;
    const unsigned first = gl ? 1 : 0; // gridlock::thread(name, fn, args...)
    if (ce->getNumArgs() <= first || ce->getConstructor()->isCopyOrMoveConstructor()) return;
    std::vector<const Expr *> args;
    for (unsigned i = first + 1; i < ce->getNumArgs(); ++i) args.push_back(ce->getArg(i));
    std::string name;
    if (gl) name = thread_name(ce->getArg(0));
    if (name.empty()) name = thread_var_name(ce);
    if (name.empty()) name = callable_name(ce->getArg(first));
    spawn(ce->getArg(first), args, c, name, ce->getBeginLoc());
  }

  // The literal name of a gridlock::thread; "replica-*" for "replica-" + std::to_string(i).
  std::string thread_name(const Expr *arg) {
    const auto name = literal_in(arg);
    if (!name) return "";
    const Expr *e = strip(arg);
    if (const auto *k = dyn_cast<CXXConstructExpr>(e); k && k->getNumArgs() > 0)
      e = strip(k->getArg(0));
    return isa<StringLiteral>(e) ? *name : *name + "*";
  }

  // `std::thread producer(...)`: "producer".
  std::string thread_var_name(const CXXConstructExpr *ce) {
    DynTypedNodeList parents = ctx_.getParents(*ce);
    while (!parents.empty()) {
      if (const auto *v = parents[0].get<VarDecl>()) return ast::name(v).str();
      if (!parents[0].get<Expr>()) return "";
      parents = ctx_.getParents(parents[0]);
    }
    return "";
  }

  std::string callable_name(const Expr *e) {
    e = strip(e);
    if (const auto *ref = dyn_cast_or_null<DeclRefExpr>(e)) return ast::name(ref->getDecl()).str();
    if (const auto *u = dyn_cast_or_null<UnaryOperator>(e)) return callable_name(u->getSubExpr());
    return default_name("thread", e ? e->getBeginLoc() : SourceLocation());
  }

  const FunctionDecl *callable_body(const Expr *e, int depth = 0) {
    e = strip(e);
    if (!e || depth > 4) return nullptr;
    if (const auto *l = dyn_cast<LambdaExpr>(e)) return l->getCallOperator();
    if (const auto *u = dyn_cast<UnaryOperator>(e))
      return callable_body(u->getSubExpr(), depth + 1);
    if (const auto *ref = dyn_cast<DeclRefExpr>(e)) {
      if (const auto *fn = dyn_cast<FunctionDecl>(ref->getDecl())) return fn->getDefinition();
      if (const auto *v = dyn_cast<VarDecl>(ref->getDecl()))
        return callable_body(v->getInit(), depth + 1);
    }
    return nullptr;
  }

  void spawn(const Expr *callable, const std::vector<const Expr *> &args, const context &parent,
             const std::string &name, SourceLocation where) {
    const FunctionDecl *body = callable_body(callable);
    if (!body) return;
    const int e = add_entry(name, where, inside_loop(callable));
    context c;
    c.bound = parent.bound; // captured parameters of the starting entry keep their meaning
    c.entry = e;
    for (std::size_t i = 0; i < args.size() && i < body->getNumParams(); ++i) {
      const value v = resolve(args[i], parent);
      if (v.kind != value::none) c.bound[body->getParamDecl(static_cast<unsigned>(i))] = v;
    }
    walk(body, c, {});
  }

  bool starts_threads(const FunctionDecl *fn) {
    auto [it, fresh] = starts_threads_.try_emplace(fn, false);
    if (fresh) it->second = contains_thread_start(fn->getBody());
    return it->second;
  }

  bool inside_loop(const Stmt *s) {
    op probe;
    classify_position(s, probe);
    return probe.in_loop;
  }

  ASTContext &ctx_;
  SourceManager &sm_;
  const api_config &api_;
  program_model &m_;
  std::map<const Decl *, int> channels_;
  std::map<const VarDecl *, int> mutexes_;
  std::map<std::string, int> process_entry_;
  std::set<const FunctionDecl *> walking_;
  std::map<const FunctionDecl *, bool> starts_threads_;
};

// The functions of the main file that start threads directly (not from inside a lambda).
class root_finder : public RecursiveASTVisitor<root_finder> {
public:
  explicit root_finder(ASTContext &ctx) : ctx_(ctx) {}
  bool VisitCXXConstructExpr(CXXConstructExpr *ce) {
    if (starts_thread(ce)) note(ce);
    return true;
  }
  bool VisitCallExpr(CallExpr *call) {
    if (starts_thread(call)) note(call);
    return true;
  }
  std::vector<const FunctionDecl *> roots;

private:
  void note(const Stmt *s) {
    if (!ctx_.getSourceManager().isInMainFile(
            ctx_.getSourceManager().getExpansionLoc(s->getBeginLoc())))
      return;
    DynTypedNodeList parents = ctx_.getParents(*s);
    while (!parents.empty()) {
      if (parents[0].get<LambdaExpr>()) return; // started by a thread: found when walking it
      if (const auto *fn = parents[0].get<FunctionDecl>()) {
        if (std::find(roots.begin(), roots.end(), fn) == roots.end()) roots.push_back(fn);
        return;
      }
      parents = ctx_.getParents(parents[0]);
    }
  }
  ASTContext &ctx_;
};

} // namespace

void build_model(ASTContext &ctx, const api_config &api, program_model &model) {
  builder b(ctx, api, model);
  if (!api.gridlock) {
    // A user API: each configured process is an entry running its function. All are registered
    // before any is walked, so that every send can name its destination.
    std::vector<std::pair<int, const FunctionDecl *>> processes;
    for (const auto &[id, fn_name] : api.processes)
      for (const Decl *d : ctx.getTranslationUnitDecl()->decls())
        if (const auto *fn = dyn_cast<FunctionDecl>(d);
            fn && ast::name(fn) == fn_name && fn->hasBody()) {
          const int e = b.add_entry(fn_name, fn->getLocation(), false);
          b.register_process(id, e);
          processes.emplace_back(e, fn);
        }
    for (const auto &[e, fn] : processes) b.walk_entry(e, fn);
  }
  root_finder finder(ctx);
  finder.TraverseDecl(ctx.getTranslationUnitDecl());
  for (const FunctionDecl *fn : finder.roots)
    b.start_entry_function(fn, fn->getNameAsString(), fn->getLocation());
}

} // namespace gridlock::analyzer
