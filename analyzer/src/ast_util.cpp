#include "ast_util.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Basic/FileManager.h>
#include <llvm/ADT/SmallString.h>

namespace gridlock::analyzer::ast {

using namespace clang;

namespace {

const NamespaceDecl *enclosing_namespace(const DeclContext *dc) {
  while (dc && !(dc->isNamespace() && !cast<NamespaceDecl>(dc)->isInline()) &&
         !dc->isTranslationUnit())
    dc = dc->getParent();
  return dyn_cast_or_null<NamespaceDecl>(dc);
}

bool is_std_forwarding(const CallExpr *call) {
  const FunctionDecl *fn = call->getDirectCallee();
  if (!fn || call->getNumArgs() != 1 || !in_namespace(fn, "std") || !fn->getIdentifier())
    return false;
  const llvm::StringRef n = name(fn);
  return n == "move" || n == "forward" || n == "ref" || n == "cref";
}

} // namespace

const Expr *strip(const Expr *e) {
  while (e) {
    e = e->IgnoreParenImpCasts();
    if (const auto *c = dyn_cast<CastExpr>(e))
      e = c->getSubExpr();
    else if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(e))
      e = m->getSubExpr();
    else if (const auto *b = dyn_cast<CXXBindTemporaryExpr>(e))
      e = b->getSubExpr();
    else if (const auto *w = dyn_cast<ExprWithCleanups>(e))
      e = w->getSubExpr();
    else if (const auto *k = dyn_cast<CXXConstructExpr>(e);
             k && k->getNumArgs() == 1 && k->getConstructor()->isCopyOrMoveConstructor())
      e = k->getArg(0);
    else if (const auto *call = dyn_cast<CallExpr>(e); call && is_std_forwarding(call))
      e = call->getArg(0);
    else
      return e;
  }
  return nullptr;
}

bool in_namespace(const NamedDecl *d, llvm::StringRef ns) {
  const NamespaceDecl *n = enclosing_namespace(d->getDeclContext());
  return n && name(n) == ns;
}

std::pair<std::string, std::string> class_of(QualType t) {
  t = t.getNonReferenceType().getCanonicalType();
  if (t->isPointerType()) t = t->getPointeeType().getCanonicalType();
  if (const auto *rd = t->getAsCXXRecordDecl()) {
    const NamespaceDecl *n = enclosing_namespace(rd->getDeclContext());
    return {n ? name(n).str() : "", name(rd).str()};
  }
  return {};
}

bool is_class(QualType t, llvm::StringRef ns, std::initializer_list<llvm::StringRef> names) {
  const auto [n, c] = class_of(t);
  if (n != ns) return false;
  for (auto name : names)
    if (c == name) return true;
  return false;
}

std::optional<std::string> literal_in(const Stmt *s) {
  if (!s) return std::nullopt;
  if (const auto *lit = dyn_cast<StringLiteral>(s)) return lit->getString().str();
  for (const Stmt *child : s->children())
    if (auto r = literal_in(child)) return r;
  return std::nullopt;
}

source_loc location(const SourceManager &sm, SourceLocation l, const std::string &function) {
  const PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(l));
  if (p.isInvalid()) return {};
  // Absolute, against the translation unit's own working directory (its compile command's):
  // the process's may be another.
  llvm::SmallString<256> file(p.getFilename());
  sm.getFileManager().makeAbsolutePath(file);
  return source_loc::at(file.str().str(), p.getLine(), p.getColumn(), function);
}

std::string short_location(const SourceManager &sm, SourceLocation l) {
  const source_loc s = location(sm, l);
  if (s.file.empty()) return "?";
  const auto slash = s.file.rfind('/');
  return (slash == std::string::npos ? s.file : s.file.substr(slash + 1)) + ":" +
         std::to_string(s.line);
}

} // namespace gridlock::analyzer::ast
