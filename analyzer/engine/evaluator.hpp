// evaluator: gridlock-check's abstract interpreter of C++. It runs each actor of a program — the
// function an analysis starts from, and every thread that function (transitively) starts — over
// one abstract heap of objects (heap.hpp), and records each actor's blocking operations with the
// operations that precede them (model.hpp's `op`): the input of the matching (order_graph.hpp)
// and of the rules.
//
// What it follows: integers through assignments, arithmetic and comparisons; objects and their
// fields (constructors with member initialisers and default member initialisers, `this`, fields
// of locals, of parameters and of captured variables, reference fields, getters returning
// references); pointers to variables and objects (&x, new, std::make_unique / make_shared);
// lambdas and their captures (by reference, by value, init-captures, `this`); calls of the
// program's own functions and member functions (virtual ones by the object's class), to a depth
// of 16 with a remark where it stops; structured bindings; branches and switches whose condition
// it knows, loops whose trip count it knows (each iteration evaluated, consecutive iterations
// with the same operations folded into one operation that repeats).
//
// What it cannot know — program input, data received in messages, containers' elements, results
// of library calls — is an unknown `value`. A branch on an unknown condition is evaluated on both
// sides, each on a copy of the heap; afterwards the values both sides agree on stay and the others
// become unknown, and an operation on one side only is `conditional`. A loop whose trip count is
// unknown is evaluated once, its operations marked as repeating an unknown number of times. The
// primitives of an API (channels, mutexes, mailboxes, threads, MPI) are the `host`'s: one table of
// calls and classes per API.
//
// Order: an operation's `after` are the operations of its actor that precede it on every path (the
// intersection over the paths that meet at a branch's or loop's end, a function's return),
// `after_maybe` those on some path only, as dominance in a control-flow graph would give them.
// Structure, for the simulation (simulator.hpp): each loop is a `region` of its actor's ops with
// its count (known, or ended by the receive whose result is its condition — a value's `origin` —
// or never), and each undecided branch a `choice` region.
//
// Other translation units: a function this unit only declares is found through the `resolver`
// (program_index.hpp), and evaluated in its own AST (context() follows the current function).
//
// Cost: at most `limits` steps, operations and cells per root; an actor that reaches a limit
// stops there with a remark. Never throws on an AST Clang accepted. Not thread-safe: one evaluator
// per translation unit.
#pragma once

#include "heap.hpp"

#include "../src/model.hpp"

#include <clang/AST/Expr.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CompoundStmt;
class CXXConstructExpr;
class CXXConstructorDecl;
class CXXMethodDecl;
class FieldDecl;
class CXXForRangeStmt;
class FunctionDecl;
class IfStmt;
class LambdaExpr;
class ReturnStmt;
class SourceManager;
class Stmt;
class SwitchStmt;
class VarDecl;
} // namespace clang

namespace gridlock::analyzer::engine {

class evaluator;

// The primitives of one API, told to the evaluator. Each hook runs inside the evaluator's
// evaluation of the current actor and may call back into it (eval, lval, record, start_actor).
class host {
public:
  virtual ~host() = default;
  // A call the host models (a send, a lock, a thread start); nullopt leaves it to the evaluator.
  virtual std::optional<value> call(evaluator &ev, const clang::CallExpr &c) = 0;
  // Constructs an object of a class the host models into cell `target`; false: not the host's.
  virtual bool construct(evaluator &ev, const clang::CXXConstructExpr &c, int target) = 0;
  // A local object leaves its scope at `at` (a lock guard unlocks).
  virtual void destroy(evaluator &ev, int cell, clang::SourceLocation at) = 0;
  // A class whose objects the evaluator keeps as one scalar value (a channel end), not as fields.
  virtual bool opaque(const clang::CXXRecordDecl &r) const = 0;
};

struct limits {
  long steps = 1'000'000;            // statements and expressions evaluated per root
  std::size_t ops_per_actor = 4'096; // operations recorded per actor
  long iterations = 10'000;          // per loop
  int depth = 16;                    // nested calls of the program's own functions
  std::size_t cells = 2'000'000;     // objects per root
};

class evaluator {
public:
  // Records into `model` (entries, ops; the host adds channels and mutexes); `remarks` receives
  // "file:line:col: remark: ... [gridlock-check]" lines, each once.
  evaluator(clang::ASTContext &ctx, host &h, program_model &model, std::set<std::string> &remarks,
            limits lim = {});
  ~evaluator();
  evaluator(const evaluator &) = delete;
  evaluator &operator=(const evaluator &) = delete;

  // Adds an actor entry to the model; returns its index.
  int add_entry(const std::string &name, clang::SourceLocation where, bool multi);
  // Runs `fn` (its parameters unknown) as actor `entry`, and every actor it starts, on a fresh
  // heap.
  void run_root(int entry, const clang::FunctionDecl &fn);
  // Functions evaluated so far (roots and everything they called).
  bool reached(const clang::FunctionDecl *fn) const { return reached_.count(fn) > 0; }
  const std::set<const clang::FunctionDecl *> &reached_functions() const { return reached_; }

  // --- for hosts --------------------------------------------------------------------------------
  value eval(const clang::Expr *e);
  // The object an expression denotes; a fresh cell holding unknown when it is not followed.
  int lval(const clang::Expr *e);
  cell &at(int c) { return heap_[static_cast<std::size_t>(c)]; }
  int make_cell(std::string name);
  // Field f of an object (made on first use); a reference field: the cell it refers to.
  int field(int object, const clang::FieldDecl *f);
  // Binds reference field f of an object to `target`.
  void bind_reference(int object, const clang::FieldDecl *f, int target);
  // The object a value refers to (an address; through a smart pointer, what it points to); -1
  // if none.
  int object_behind(const value &v);
  // The object a member call (or a member operator call) is called on; -1 for other calls.
  int self(const clang::CallExpr &c);
  // Records o for the current actor at `where`: fills entry, where, after, after_maybe, in_loop,
  // repeat and conditional. Returns the op's index in the actor (for pairs_with), -1 if dropped.
  int record(op o, clang::SourceLocation where);
  // Records the cases of one select: each preceded by what precedes the select, none by another.
  void record_select(std::vector<std::pair<op, clang::SourceLocation>> cases);
  // A callback handed to code the evaluator does not follow may run: what the closure refers to
  // becomes unknown.
  void forget_captures(const value &closure, const std::string &why);
  // Starts an actor running `callable` (a function, a closure object, a member function with
  // the object as first argument) with `args`; it is evaluated at once, to its end.
  void start_actor(const value &callable, const std::vector<const clang::Expr *> &args,
                   const std::string &name, clang::SourceLocation where);
  void rename_actor(const std::string &name);
  // Stops the current actor (exit, abort, pthread_exit).
  void stop_actor();
  void remark(clang::SourceLocation at, const std::string &what);
  std::string where(clang::SourceLocation l);
  // The AST of the code being evaluated (another translation unit's, inside a function defined
  // there) and its sources.
  clang::ASTContext &context();
  const clang::SourceManager &sources();

  // Finds the definition of a function this translation unit only declares (in another unit of
  // the program); nullptr if there is none.
  using resolver = std::function<const clang::FunctionDecl *(const clang::FunctionDecl &)>;
  void set_resolver(resolver r);

private:
  enum class flow { normal, brk, cont, ret };
  struct path {
    std::vector<int> certain, maybe; // sorted op indices of the current actor
  };
  struct frame {
    const clang::FunctionDecl *fn = nullptr;
    std::map<const void *, int> vars; // declaration -> cell (references: the referred cell)
    int this_cell = -1;
    int closure = -1;
    int ctor_target = -1;                 // a constructor: the object it initialises
    std::vector<std::vector<int>> scopes; // cells of local objects, per open block
    std::vector<path> returns;
    std::vector<value> returned;
  };
  struct jump_target { // a loop or a switch
    bool loop = true;
    std::size_t scopes = 0; // the frame's open blocks when it was entered
    std::vector<path> exits, continues;
    bool exit_unknown = false; // left on a branch the evaluator could not decide
    bool jumped = false;       // a break, continue or return was taken this iteration
  };
  struct actor {
    int entry = -1;
    std::vector<frame> frames;
    std::vector<std::vector<jump_target>> targets; // per frame
    std::vector<op> ops;
    std::vector<region> regions; // local op indices
    path now;
    int conditional = 0; // inside this many undecided branches
    int loops = 0;       // inside this many loops
    int summaries = 0;   // inside this many loops evaluated once for an unknown trip count
    bool stopped = false;
  };
  struct snapshot {
    heap cells;
    std::vector<frame> frames;
    std::map<const void *, int> globals;
  };

  actor &cur() { return actors_.back(); }
  frame &fr() { return cur().frames.back(); }
  bool halted();
  bool spend(clang::SourceLocation at);
  void finish_actor();

  // statements
  flow exec(const clang::Stmt *s);
  flow exec_block(const clang::CompoundStmt *b);
  void close_scope(clang::SourceLocation end);
  void unwind_scopes(std::size_t keep, clang::SourceLocation at);
  void declare(const clang::VarDecl *v);
  flow exec_if(const clang::IfStmt *i);
  flow exec_undecided(int n, const std::function<flow(int)> &side, const std::string &why);
  flow jump(flow kind, clang::SourceLocation at);
  flow exec_return(const clang::ReturnStmt *r);
  flow exec_loop(const clang::Stmt *loop, const clang::VarDecl *cond_var, const clang::Expr *cond,
                 const clang::Stmt *body, const clang::Expr *inc, bool do_while);
  flow run_iteration(const clang::Stmt *body, const clang::Expr *inc);
  void summarize_loop(const clang::Stmt *body, const clang::Expr *inc, const std::string &why,
                      std::size_t begin, int driver);
  region &loop_region(std::size_t begin, std::size_t end);
  flow exec_range(const clang::CXXForRangeStmt *r);
  void forget_writes(const clang::Stmt *s);
  flow exec_switch(const clang::SwitchStmt *sw);
  flow run_cases(const std::vector<const clang::Stmt *> &stmts, std::size_t from);

  // paths
  static path join(const std::vector<path> &paths);
  void mark_loop_ops(std::size_t from, bool unknown_count);
  bool fold(std::size_t rep, std::size_t next);
  snapshot save();
  void restore(const snapshot &s, std::size_t pad_to);
  void merge(const snapshot &other, std::size_t shared, std::size_t from, std::size_t to,
             const std::string &why);

  // memory
  value load(int c);
  int lookup(const clang::ValueDecl *d);
  const void *key_of(const clang::FieldDecl *f);
  bool followed(clang::QualType t) const;
  int temporary(const clang::Expr *e);
  void init_cell(int c, const clang::Expr *init, clang::QualType t);
  void copy_object(int to, int from);
  void copy_opaque(int to, int from);
  void construct(const clang::CXXConstructExpr *ce, int target);
  void run_initialisers(const clang::CXXConstructorDecl &ctor, int target);
  int make_value(clang::QualType t, const std::vector<const clang::Expr *> &args,
                 clang::SourceLocation at);
  std::optional<value> optional_call(const clang::CallExpr *c, const clang::CXXMethodDecl &m);
  int make_closure(const clang::LambdaExpr *l, int c);

  // expressions
  value eval_inner(const clang::Expr *e);
  std::optional<value> constant(const clang::Expr *e);
  value eval_ref(const clang::DeclRefExpr *d);
  value eval_unary(const clang::UnaryOperator *u);
  value eval_binary(const clang::BinaryOperator *b);
  value arithmetic(clang::BinaryOperatorKind op, const value &l, const value &r,
                   const clang::Expr *e);
  int lval_inner(const clang::Expr *e);

  // calls
  const clang::FunctionDecl *own_definition(const clang::FunctionDecl *f);
  value eval_call(const clang::CallExpr *c);
  value library_call(const clang::CallExpr *c, const clang::FunctionDecl *f);
  std::optional<frame> bind(const clang::FunctionDecl &def,
                            const std::vector<const clang::Expr *> &args, int this_cell,
                            int closure, clang::SourceLocation at);
  std::optional<frame> bind_callable(const value &callee,
                                     const std::vector<const clang::Expr *> &args,
                                     clang::SourceLocation at);
  value call_value(const value &callee, const std::vector<const clang::Expr *> &args,
                   clang::SourceLocation at);
  value call(const clang::FunctionDecl &def, const std::vector<const clang::Expr *> &args,
             int this_cell, int closure, clang::SourceLocation at);
  value run_frame(frame f);

  clang::ASTContext &ctx_;
  host &host_;
  resolver resolve_;
  program_model &m_;
  std::set<std::string> &remarks_;
  const limits lim_;
  heap heap_;
  std::map<const void *, int> globals_;
  std::deque<actor> actors_; // the actor being evaluated last; the ones that started it before
  std::set<const clang::FunctionDecl *> reached_;
  std::map<const clang::FieldDecl *, const void *> field_keys_;
  std::map<std::string, const clang::FieldDecl *> canonical_fields_; // USR -> the first seen
  long steps_ = 0;
  bool out_of_steps_ = false;
};

} // namespace gridlock::analyzer::engine
