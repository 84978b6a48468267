#include "channel_host.hpp"

#include "evaluator.hpp"

#include "../src/ast_util.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include <algorithm>
#include <map>

namespace gridlock::analyzer {
namespace {

using namespace clang;
using engine::evaluator;
using engine::value;

// --- the table ----------------------------------------------------------------------------------

enum class effect {
  send,                   // a blocking send on the object's channel (or mailbox)
  post,                   // a send that never blocks (a mailbox post)
  recv,                   // a blocking receive
  close,                  // closes the object's channel
  lock,                   // locks the object (a mutex)
  unlock,                 // unlocks it
  guard_lock,             // a unique_lock / shared_lock locks its mutex again
  guard_unlock,           // ... or unlocks it
  make_channel,           // returns a new channel's ends: (capacity, name)
  make_unbounded_channel, // (name)
  name_actor,             // names the calling actor
  spawn,       // starts a thread: (callable, args...) or pthread_create's (t, attr, fn, arg)
  spawn_named, // starts a named thread: (name, callable, args...)
  select_send, // adds a send case to a select: (sender, value, callback)
  select_recv, // adds a receive case: (receiver, callback)
  select_wait, // blocks until one case completes
  select_poll, // runs a ready case if there is one (try_select, wait_for): never blocks forever
};

// A function or member function of an API. `cls` empty: a free function in namespace `ns` (or
// in none, for "").
struct call_row {
  const char *ns, *cls, *name;
  effect what;
};

constexpr call_row kCalls[] = {
    {"gridlock", "", "make_channel", effect::make_channel},
    {"gridlock", "", "make_unbounded_channel", effect::make_unbounded_channel},
    {"gridlock", "", "set_actor_name", effect::name_actor},
    {"gridlock", "sender", "send", effect::send},
    {"gridlock", "sender", "close", effect::close},
    {"gridlock", "receiver", "recv", effect::recv},
    {"gridlock", "mailbox", "send", effect::send},
    {"gridlock", "mailbox", "post", effect::post},
    {"gridlock", "mailbox", "receive", effect::recv},
    {"gridlock", "mailbox", "receive_from", effect::recv},
    {"gridlock", "mailbox", "receive_all", effect::recv},
    {"gridlock", "mutex", "lock", effect::lock},
    {"gridlock", "mutex", "unlock", effect::unlock},
    {"gridlock", "shared_mutex", "lock", effect::lock},
    {"gridlock", "shared_mutex", "unlock", effect::unlock},
    {"gridlock", "shared_mutex", "lock_shared", effect::lock},
    {"gridlock", "shared_mutex", "unlock_shared", effect::unlock},
    {"std", "mutex", "lock", effect::lock},
    {"std", "mutex", "unlock", effect::unlock},
    {"std", "recursive_mutex", "lock", effect::lock},
    {"std", "recursive_mutex", "unlock", effect::unlock},
    {"std", "timed_mutex", "lock", effect::lock},
    {"std", "timed_mutex", "unlock", effect::unlock},
    {"std", "recursive_timed_mutex", "lock", effect::lock},
    {"std", "recursive_timed_mutex", "unlock", effect::unlock},
    {"std", "shared_mutex", "lock", effect::lock},
    {"std", "shared_mutex", "unlock", effect::unlock},
    {"std", "shared_mutex", "lock_shared", effect::lock},
    {"std", "shared_mutex", "unlock_shared", effect::unlock},
    {"std", "shared_timed_mutex", "lock", effect::lock},
    {"std", "shared_timed_mutex", "unlock", effect::unlock},
    {"std", "shared_timed_mutex", "lock_shared", effect::lock},
    {"std", "shared_timed_mutex", "unlock_shared", effect::unlock},
    {"std", "unique_lock", "lock", effect::guard_lock},
    {"std", "unique_lock", "unlock", effect::guard_unlock},
    {"std", "shared_lock", "lock", effect::guard_lock},
    {"std", "shared_lock", "unlock", effect::guard_unlock},
    {"gridlock", "wait_group", "go", effect::spawn_named},
    {"gridlock", "select", "send", effect::select_send},
    {"gridlock", "select", "recv", effect::select_recv},
    {"gridlock", "select", "wait", effect::select_wait},
    {"gridlock", "select", "wait_for", effect::select_poll},
    {"gridlock", "select", "try_select", effect::select_poll},
    {"std", "", "async", effect::spawn},
    {"", "", "pthread_create", effect::spawn},
};

enum class object_kind { thread, guard, mutex, mailbox };

// A class whose construction means something: a thread start (the callable is argument
// `callable`), a lock guard locking its mutex arguments, a named mutex or mailbox.
struct class_row {
  const char *ns, *cls;
  object_kind kind;
  unsigned callable = 0;
};

constexpr class_row kClasses[] = {
    {"std", "thread", object_kind::thread, 0},
    {"std", "jthread", object_kind::thread, 0},
    {"gridlock", "thread", object_kind::thread, 1},
    {"std", "lock_guard", object_kind::guard},
    {"std", "unique_lock", object_kind::guard},
    {"std", "scoped_lock", object_kind::guard},
    {"std", "shared_lock", object_kind::guard},
    {"gridlock", "lock_guard", object_kind::guard},
    {"gridlock", "shared_lock_guard", object_kind::guard},
    {"gridlock", "mutex", object_kind::mutex},
    {"gridlock", "shared_mutex", object_kind::mutex},
    {"gridlock", "mailbox", object_kind::mailbox},
};

bool is(const NamedDecl *d, const char *ns, const char *name) {
  if (!d || ast::name(d) != name) return false;
  return *ns ? ast::in_namespace(d, ns) : !d->getDeclContext()->isNamespace();
}

const call_row *find_call(const FunctionDecl &f) {
  const auto *m = dyn_cast<CXXMethodDecl>(&f);
  for (const call_row &r : kCalls) {
    if (ast::name(&f) != r.name) continue;
    if (*r.cls ? m && is(m->getParent(), r.ns, r.cls) : !m && is(&f, r.ns, r.name)) return &r;
  }
  return nullptr;
}

const class_row *find_class(QualType t) {
  const auto *r = t.getNonReferenceType()->getAsCXXRecordDecl();
  for (const class_row &row : kClasses)
    if (is(r, row.ns, row.cls)) return &row;
  return nullptr;
}

bool is_mutex_class(QualType t) {
  t = t.getNonReferenceType();
  return ast::is_class(t, "std",
                       {"mutex", "recursive_mutex", "timed_mutex", "recursive_timed_mutex",
                        "shared_mutex", "shared_timed_mutex"}) ||
         ast::is_class(t, "gridlock", {"mutex", "shared_mutex"});
}

bool is_thread_class(QualType t) {
  const class_row *r = find_class(t);
  return r && r->kind == object_kind::thread;
}

// --- the host -----------------------------------------------------------------------------------

class channel_host : public engine::host {
public:
  channel_host(const api_config &api, program_model &m) : api_(api), m_(m) {}

  void register_process(const std::string &id, int entry) { process_entry_[id] = entry; }

  // make_channel call -> the number every send on its channels carried (one evaluation's).
  using messages = std::map<const CallExpr *, long long>;
  messages constant_messages() const {
    messages out;
    for (const auto &[site, v] : sent_)
      if (v) out.emplace(site, *v);
    return out;
  }
  // Receives on the channels of these calls hold these numbers.
  void assume(messages m) { assumed_ = std::move(m); }

  std::optional<value> call(evaluator &ev, const CallExpr &c) override {
    const FunctionDecl *f = c.getDirectCallee();
    if (!f) return std::nullopt;
    if (!api_.gridlock && !isa<CXXMemberCallExpr>(c))
      if (auto v = addressed_call(ev, c, *f)) return v;
    if (const call_row *r = find_call(*f)) return apply(ev, c, *r);
    if (const auto *m = dyn_cast<CXXMemberCallExpr>(&c)) return emplace_thread(ev, *m);
    return std::nullopt;
  }

  bool construct(evaluator &ev, const CXXConstructExpr &ce, int target) override {
    const class_row *row = find_class(ce.getType());
    if (!row) return false;
    const bool copy = ce.getConstructor()->isCopyOrMoveConstructor();
    switch (row->kind) {
    case object_kind::thread:
      if (copy || ce.getNumArgs() <= row->callable) return false;
      start_thread(ev, ce, *row, target);
      return true;
    case object_kind::guard: lock_guard(ev, ce, copy, target); return true;
    case object_kind::mutex:
    case object_kind::mailbox:
      if (copy) return false;
      if (auto name = ce.getNumArgs() > 0 ? literal(ce.getArg(0)) : std::nullopt)
        ev.at(target).name = *name;
      for (const Expr *a : ce.arguments()) ev.eval(a);
      ev.at(target).v = value::unknown("a mutex or mailbox");
      return true;
    }
    return false;
  }

  void destroy(evaluator &ev, int c, SourceLocation at) override {
    if (ev.at(c).guard) unlock_all(ev, c, at);
  }

  bool opaque(const CXXRecordDecl &r) const override { return ast::in_namespace(&r, "gridlock"); }

private:
  // --- calls --------------------------------------------------------------------------------

  value apply(evaluator &ev, const CallExpr &c, const call_row &r) {
    const SourceLocation at = isa<CXXMemberCallExpr>(c) ? c.getExprLoc() : c.getBeginLoc();
    switch (r.what) {
    case effect::make_channel:
    case effect::make_unbounded_channel: return make_channel(ev, c, r.what);
    case effect::name_actor:
      if (c.getNumArgs() > 0)
        if (auto name = literal(c.getArg(0))) ev.rename_actor(*name);
      return value::unknown("void");
    case effect::spawn:
    case effect::spawn_named: spawn_call(ev, c, r.what); return value::unknown("a thread");
    default: break;
    }
    const int object = ev.self(c);
    if (r.what == effect::select_send || r.what == effect::select_recv) {
      add_case(ev, c, object, r.what, at);
      return value::address(object);
    }
    std::vector<value> args;
    for (const Expr *a : c.arguments()) args.push_back(ev.eval(a));
    switch (r.what) {
    case effect::select_wait:
    case effect::select_poll: {
      auto cases = std::move(pending_[object]);
      pending_.erase(object);
      for (auto &[o, where] : cases) o.polls = r.what == effect::select_poll;
      ev.record_select(std::move(cases));
      break;
    }
    case effect::send:
    case effect::post:
    case effect::recv:
    case effect::close: {
      const int ch = channel_of(ev, object, std::string(r.cls) == "mailbox", at);
      if (r.what == effect::close && ch < 0) break;
      op o;
      o.kind = r.what == effect::recv    ? op_kind::recv
               : r.what == effect::close ? op_kind::close
                                         : op_kind::send;
      o.object = ch;
      o.buffered_anyway = r.what == effect::post;
      const int index = ev.record(std::move(o), at);
      if (r.what == effect::send && !args.empty()) note_sent(ch, args.front());
      if (r.what == effect::recv) return received(ev, ch, index, r, at);
      break;
    }
    case effect::lock: lock_op(ev, object, object, at); break;
    case effect::unlock: {
      const auto [res, lock] = take_lock(ev, object);
      unlock_op(ev, res, lock, at);
      break;
    }
    case effect::guard_lock: {
      const int mutex = ev.object_behind(ev.at(object).v);
      if (mutex >= 0) lock_op(ev, mutex, object, at);
      break;
    }
    case effect::guard_unlock: unlock_all(ev, object, at); break;
    default: break;
    }
    return value::unknown("the result of " + std::string(r.name) + "() at " + ev.where(at));
  }

  const CallExpr *site(int ch) const {
    return ch >= 0 && static_cast<std::size_t>(ch) < site_.size()
               ? site_[static_cast<std::size_t>(ch)]
               : nullptr;
  }

  void note_sent(int ch, const value &v) {
    const CallExpr *made = site(ch);
    if (!made) return;
    const std::optional<long long> n = v.known() ? std::optional(v.n) : std::nullopt;
    const auto [it, fresh] = sent_.try_emplace(made, n);
    if (!fresh && it->second != n) it->second.reset();
  }

  // What a receive returns: unknown whether it got a message (the op it comes from, so a loop it
  // drives is known), and what the message holds when every message on the channel is one number.
  value received(evaluator &ev, int ch, int index, const call_row &r, SourceLocation at) {
    value got =
        value::unknown("what " + std::string(r.name) + "() at " + ev.where(at) + " receives");
    got.origin = index;
    const CallExpr *made = site(ch);
    const auto known = made ? assumed_.find(made) : assumed_.end();
    if (known == assumed_.end()) return got;
    const int result = ev.make_cell("");
    const int message = ev.make_cell("");
    ev.at(message).v = value::number(known->second);
    ev.at(result).v = got;
    ev.at(result).fields[engine::held_key()] = message;
    return value::address(result);
  }

  // sel.send(tx, v, on_sent) / sel.recv(rx, on_value): a case of the select's next wait.
  void add_case(evaluator &ev, const CallExpr &c, int select, effect what, SourceLocation at) {
    const int end = c.getNumArgs() > 0 ? ev.lval(c.getArg(0)) : -1;
    for (unsigned i = 1; i < c.getNumArgs(); ++i)
      ev.forget_captures(ev.eval(c.getArg(i)), "a select's callback at " + ev.where(at));
    op o;
    o.kind = what == effect::select_send ? op_kind::send : op_kind::recv;
    o.object = channel_of(ev, end, false, at);
    pending_[select].emplace_back(std::move(o), at);
  }

  // Locks mutex cell `mutex`; `holder` (the mutex itself, or a guard) remembers the lock.
  void lock_op(evaluator &ev, int mutex, int holder, SourceLocation at) {
    op o;
    o.kind = op_kind::lock;
    o.object = mutex_of(ev, mutex);
    const int res = o.object;
    const int index = ev.record(std::move(o), at);
    ev.at(holder).held.emplace_back(res, index);
  }

  // The latest lock of mutex cell `mutex` taken by hand, no longer remembered there: (its mutex,
  // its lock op, -1 if none).
  std::pair<int, int> take_lock(evaluator &ev, int mutex) {
    const int res = mutex_of(ev, mutex);
    auto &held = ev.at(mutex).held;
    const auto h =
        std::find_if(held.rbegin(), held.rend(), [&](const auto &x) { return x.first == res; });
    if (h == held.rend()) return {res, -1};
    const int lock = h->second;
    held.erase(std::next(h).base());
    return {res, lock};
  }

  // `holder` (a guard) releases everything it holds, the latest lock first.
  void unlock_all(evaluator &ev, int holder, SourceLocation at) {
    const auto held = std::move(ev.at(holder).held);
    ev.at(holder).held.clear();
    for (auto h = held.rbegin(); h != held.rend(); ++h) unlock_op(ev, h->first, h->second, at);
  }

  void unlock_op(evaluator &ev, int res, int lock, SourceLocation at) {
    op o;
    o.kind = op_kind::unlock;
    o.object = res;
    o.pairs_with = lock;
    ev.record(std::move(o), at);
  }

  int mutex_of(evaluator &ev, int c) {
    if (ev.at(c).resource < 0) {
      m_.mutexes.push_back(ev.at(c).name.empty() ? "mutex" : ev.at(c).name);
      ev.at(c).resource = static_cast<int>(m_.mutexes.size()) - 1;
    }
    return ev.at(c).resource;
  }

  // The channel a sender, receiver or mailbox object is on; kUnknownChannel if not followed.
  int channel_of(evaluator &ev, int object, bool mailbox, SourceLocation at) {
    if (object < 0) return kUnknownChannel;
    const engine::cell &c = ev.at(object);
    if (!mailbox) return c.v.k == value::kind::end ? static_cast<int>(c.v.n) : kUnknownChannel;
    if (c.resource >= 0) return c.resource;
    channel ch;
    ch.capacity = 0;
    ch.addressed = true;
    ch.name = c.name.empty() ? "mailbox at " + ev.where(at) : c.name;
    ch.where = ast::location(ev.sources(), at);
    m_.channels.push_back(std::move(ch));
    ev.at(object).resource = static_cast<int>(m_.channels.size()) - 1;
    return ev.at(object).resource;
  }

  value make_channel(evaluator &ev, const CallExpr &c, effect what) {
    channel ch;
    ch.unbounded = what == effect::make_unbounded_channel;
    const unsigned name_arg = ch.unbounded ? 0 : 1;
    if (!ch.unbounded && c.getNumArgs() > 0) {
      const value cap = ev.eval(c.getArg(0));
      if (cap.known() && cap.n >= 0) ch.capacity = cap.n;
    }
    if (c.getNumArgs() > name_arg && !isa<CXXDefaultArgExpr>(c.getArg(name_arg)))
      ch.name = literal(c.getArg(name_arg)).value_or("");
    if (ch.name.empty()) ch.name = "channel at " + ev.where(c.getBeginLoc());
    ch.where = ast::location(ev.sources(), c.getBeginLoc());
    m_.channels.push_back(std::move(ch));
    const int index = static_cast<int>(m_.channels.size()) - 1;
    site_.resize(m_.channels.size(), nullptr);
    site_[static_cast<std::size_t>(index)] = &c;
    const int pair = ev.make_cell("");
    const auto *r = c.getType()->getAsCXXRecordDecl();
    if (!r || !r->hasDefinition()) return value::unknown("a channel");
    ev.at(pair).type = r;
    bool first = true;
    for (const FieldDecl *f : r->fields()) { // std::pair: first (the sender), second
      ev.at(ev.field(pair, f)).v = value::end(index, first);
      first = false;
    }
    return value::address(pair);
  }

  // User API (--api FILE): send(dest, ...) / receive(src, ...).
  std::optional<value> addressed_call(evaluator &ev, const CallExpr &c, const FunctionDecl &f) {
    const auto peer_of = [&](unsigned arg) -> int {
      if (arg >= c.getNumArgs()) return -1;
      if (const auto *ref = dyn_cast<DeclRefExpr>(ast::strip(c.getArg(arg)))) {
        const std::string id = ast::name(ref->getDecl()).str();
        if (auto it = process_entry_.find(id); it != process_entry_.end()) return it->second;
      }
      return -1; // ANY, or not resolvable (m.source): any process
    };
    const auto add = [&](op_kind k, const api_function &fn) {
      for (const Expr *a : c.arguments()) ev.eval(a);
      op o;
      o.kind = k;
      o.object = -1;
      o.peer = peer_of(fn.peer);
      o.buffered_anyway = k == op_kind::send && !fn.blocking;
      ev.record(std::move(o), c.getBeginLoc());
      return value::unknown("the result of " + fn.name + "()");
    };
    for (const api_function &fn : api_.sends)
      if (ast::name(&f) == fn.name) return add(op_kind::send, fn);
    for (const api_function &fn : api_.receives)
      if (ast::name(&f) == fn.name) return add(op_kind::recv, fn);
    return std::nullopt;
  }

  // --- threads ------------------------------------------------------------------------------

  void start_thread(evaluator &ev, const CXXConstructExpr &ce, const class_row &row, int target) {
    const bool gl = row.ns == std::string("gridlock");
    std::string name = gl ? thread_name(ce.getArg(0)) : "";
    if (name.empty()) name = thread_var_name(ev, ce);
    if (name.empty()) name = callable_name(ev, ce.getArg(row.callable));
    const value callable = ev.eval(ce.getArg(row.callable));
    std::vector<const Expr *> args;
    for (unsigned i = row.callable + 1; i < ce.getNumArgs(); ++i) args.push_back(ce.getArg(i));
    ev.start_actor(callable, args, name, ce.getBeginLoc());
    ev.at(target).v = value::unknown("a thread");
  }

  // std::async(fn, args...) / std::async(policy, fn, args...); pthread_create(&t, attr, fn, arg);
  // wait_group::go(name, fn, args...).
  void spawn_call(evaluator &ev, const CallExpr &c, effect what) {
    std::vector<const Expr *> args(c.arg_begin(), c.arg_end());
    if (isa<CXXMemberCallExpr>(c)) ev.self(c);
    const bool pthread = ast::name(c.getDirectCallee()) == "pthread_create";
    std::size_t first = 0;
    if (pthread) {
      if (args.size() != 4) return;
      first = 2;
    } else if (what == effect::spawn_named ||
               (!args.empty() && ast::is_class(args[0]->getType(), "std", {"launch"})))
      first = 1;
    if (args.size() <= first) return;
    if (pthread) ev.eval(args[0]);
    std::string name = what == effect::spawn_named ? thread_name(args[0]) : "";
    if (name.empty())
      name = (pthread                 ? "pthread "
              : what == effect::spawn ? "async "
                                      : "") +
             callable_name(ev, args[first]);
    const value callable = ev.eval(args[first]);
    ev.start_actor(callable, {args.begin() + static_cast<long>(first) + 1, args.end()}, name,
                   c.getBeginLoc());
  }

  // threads.emplace_back(fn, args...) on a container of threads.
  std::optional<value> emplace_thread(evaluator &ev, const CXXMemberCallExpr &m) {
    const CXXMethodDecl *method = m.getMethodDecl();
    if (!method || (ast::name(method) != "emplace_back" && ast::name(method) != "emplace"))
      return std::nullopt;
    const auto *spec = dyn_cast<ClassTemplateSpecializationDecl>(method->getParent());
    if (!spec || spec->getTemplateArgs().size() == 0 ||
        spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type ||
        !is_thread_class(spec->getTemplateArgs()[0].getAsType()) || m.getNumArgs() == 0)
      return std::nullopt;
    const bool gl =
        ast::in_namespace(spec->getTemplateArgs()[0].getAsType()->getAsCXXRecordDecl(), "gridlock");
    const unsigned callable = gl ? 1 : 0;
    if (m.getNumArgs() <= callable) return std::nullopt;
    ev.self(m);
    std::string name = gl ? thread_name(m.getArg(0)) : "";
    if (name.empty()) name = callable_name(ev, m.getArg(callable));
    const value fn = ev.eval(m.getArg(callable));
    std::vector<const Expr *> args;
    for (unsigned i = callable + 1; i < m.getNumArgs(); ++i) args.push_back(m.getArg(i));
    ev.start_actor(fn, args, name, m.getBeginLoc());
    return value::unknown("void");
  }

  // --- lock guards --------------------------------------------------------------------------

  void lock_guard(evaluator &ev, const CXXConstructExpr &ce, bool copy, int target) {
    ev.at(target).guard = true;
    if (copy) { // a unique_lock moved: the new one holds what the old one held
      if (ce.getNumArgs() == 0) return;
      const int from = ev.lval(ce.getArg(0));
      ev.at(target).v = ev.at(from).v;
      ev.at(target).held = std::move(ev.at(from).held);
      ev.at(from).held.clear();
      return;
    }
    enum class tag { lock, defer, adopt } how = tag::lock;
    std::vector<int> mutexes;
    for (const Expr *a : ce.arguments()) {
      const QualType t = a->getType();
      if (isa<CXXDefaultArgExpr>(a)) // gridlock's source_location
        continue;
      if (ast::is_class(t, "std", {"defer_lock_t", "try_to_lock_t"}))
        how = tag::defer;
      else if (ast::is_class(t, "std", {"adopt_lock_t"}))
        how = tag::adopt;
      else if (is_mutex_class(t))
        mutexes.push_back(ev.lval(a));
      else {
        ev.eval(a);
        if (ast::is_class(t, "std", {"duration", "time_point"}))
          how = tag::defer; // a timeout: try_lock_for / try_lock_until never blocks forever
      }
    }
    if (!mutexes.empty()) ev.at(target).v = value::address(mutexes.front());
    for (const int mu : mutexes) {
      if (how == tag::lock) {
        lock_op(ev, mu, target, ce.getBeginLoc());
      } else if (how == tag::adopt) { // locked by hand before: the guard takes the lock over
        ev.at(target).held.push_back(take_lock(ev, mu));
      }
    }
  }

  // --- names --------------------------------------------------------------------------------

  static std::optional<std::string> literal(const Expr *e) {
    if (!e || isa<CXXDefaultArgExpr>(e)) return std::nullopt;
    return ast::literal_in(e);
  }

  // The literal name of a gridlock::thread; "replica-*" for "replica-" + std::to_string(i).
  std::string thread_name(const Expr *arg) const {
    const auto name = ast::literal_in(arg);
    if (!name) return "";
    const Expr *e = ast::strip(arg);
    if (const auto *k = dyn_cast<CXXConstructExpr>(e); k && k->getNumArgs() > 0)
      e = ast::strip(k->getArg(0));
    return isa<StringLiteral>(e) ? *name : *name + "*";
  }

  // `std::thread producer(...)`: "producer".
  std::string thread_var_name(evaluator &ev, const CXXConstructExpr &ce) const {
    ASTContext &ctx = ev.context();
    DynTypedNodeList parents = ctx.getParents(ce);
    while (!parents.empty()) {
      if (const auto *v = parents[0].get<VarDecl>()) return ast::name(v).str();
      if (const auto *f = parents[0].get<CXXCtorInitializer>())
        if (f->getMember()) return ast::name(f->getMember()).str();
      if (!parents[0].get<Expr>()) return "";
      parents = ctx.getParents(parents[0]);
    }
    return "";
  }

  std::string callable_name(evaluator &ev, const Expr *e) const {
    e = ast::strip(e);
    if (const auto *ref = dyn_cast_or_null<DeclRefExpr>(e)) return ast::name(ref->getDecl()).str();
    if (const auto *u = dyn_cast_or_null<UnaryOperator>(e))
      return callable_name(ev, u->getSubExpr());
    return "thread at " + ev.where(e ? e->getBeginLoc() : SourceLocation());
  }

  const api_config &api_;
  program_model &m_;
  std::map<std::string, int> process_entry_;
  std::map<int, std::vector<std::pair<op, SourceLocation>>> pending_; // select -> its cases
  std::vector<const CallExpr *> site_; // channel -> the make_channel call that made it
  std::map<const CallExpr *, std::optional<long long>> sent_; // nullopt: not always one number
  messages assumed_;
};

// --- roots --------------------------------------------------------------------------------------

bool starts_thread(const Stmt *s) {
  if (const auto *ce = dyn_cast<CXXConstructExpr>(s))
    return is_thread_class(ce->getType()) && ce->getNumArgs() > 0 &&
           !ce->getConstructor()->isCopyOrMoveConstructor();
  if (const auto *call = dyn_cast<CallExpr>(s))
    if (const FunctionDecl *fn = call->getDirectCallee())
      if (const call_row *r = find_call(*fn)) return r->what == effect::spawn;
  return false;
}

// The functions of the main file that start threads directly (not from inside a lambda), and
// main().
class root_finder : public RecursiveASTVisitor<root_finder> {
public:
  explicit root_finder(ASTContext &ctx) : ctx_(ctx) {}
  bool VisitFunctionDecl(FunctionDecl *f) {
    if (f->isMain() && f->hasBody() && in_main_file(f->getLocation())) main = f;
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *ce) {
    if (starts_thread(ce)) note(ce);
    return true;
  }
  bool VisitCallExpr(CallExpr *call) {
    if (starts_thread(call)) note(call);
    return true;
  }
  const FunctionDecl *main = nullptr;
  std::vector<const FunctionDecl *> roots;

private:
  bool in_main_file(SourceLocation l) const {
    return ctx_.getSourceManager().isInMainFile(ctx_.getSourceManager().getExpansionLoc(l));
  }
  void note(const Stmt *s) {
    if (!in_main_file(s->getBeginLoc())) return;
    DynTypedNodeList parents = ctx_.getParents(*s);
    while (!parents.empty()) {
      if (parents[0].get<LambdaExpr>()) return; // started by a thread: found when running it
      if (const auto *fn = parents[0].get<FunctionDecl>()) {
        if (!fn->isDependentContext() && std::find(roots.begin(), roots.end(), fn) == roots.end())
          roots.push_back(fn);
        return;
      }
      parents = ctx_.getParents(parents[0]);
    }
  }
  ASTContext &ctx_;
};

} // namespace

namespace {

// One evaluation of the unit's actors with `host`.
evaluation evaluate(ASTContext &ctx, const api_config &api, program_model &model,
                    std::set<std::string> &remarks, const engine::evaluator::resolver &definitions,
                    channel_host &host) {
  evaluation done;
  engine::evaluator ev(ctx, host, model, remarks);
  ev.set_resolver(definitions);
  if (!api.gridlock) {
    // A user API: each configured process is an actor running its function. All are registered
    // before any runs, so that every send can name its destination.
    std::vector<std::pair<int, const FunctionDecl *>> processes;
    for (const auto &[id, fn_name] : api.processes)
      for (const Decl *d : ctx.getTranslationUnitDecl()->decls())
        if (const auto *fn = dyn_cast<FunctionDecl>(d);
            fn && ast::name(fn) == fn_name && fn->hasBody()) {
          const int e = ev.add_entry(fn_name, fn->getLocation(), false);
          host.register_process(id, e);
          processes.emplace_back(e, fn);
        }
    for (const auto &[e, fn] : processes) ev.run_root(e, *fn);
  }
  root_finder finder(ctx);
  finder.TraverseDecl(ctx.getTranslationUnitDecl());
  if (finder.main && api.gridlock && !ev.reached(finder.main)) {
    done.main = finder.main;
    ev.run_root(ev.add_entry("main", finder.main->getLocation(), false), *finder.main);
  }
  for (const FunctionDecl *fn : finder.roots)
    if (!ev.reached(fn)) {
      done.others.push_back(fn);
      ev.run_root(ev.add_entry(fn->getNameAsString(), fn->getLocation(), false), *fn);
    }
  done.reached = ev.reached_functions();
  return done;
}

} // namespace

// Messages: when every send on the channels one make_channel call makes carries the same number,
// a second evaluation lets their receives return it (a count sent ahead of a batch). It is kept
// only if it sends exactly what the first one saw.
evaluation build_model(ASTContext &ctx, const api_config &api, program_model &model,
                       std::set<std::string> &remarks, engine::evaluator::resolver definitions) {
  channel_host first(api, model);
  evaluation done = evaluate(ctx, api, model, remarks, definitions, first);
  const auto learnt = first.constant_messages();
  if (learnt.empty()) return done;
  program_model again;
  std::set<std::string> notes;
  channel_host second(api, again);
  second.assume(learnt);
  evaluation redone = evaluate(ctx, api, again, notes, definitions, second);
  if (second.constant_messages() != learnt) return done;
  model = std::move(again);
  remarks.merge(notes);
  return redone;
}

} // namespace gridlock::analyzer
