#include "program_index.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Frontend/ASTUnit.h>
#include <clang/Index/USRGeneration.h>

namespace gridlock::analyzer {

std::string usr_of(const clang::Decl &d) {
  llvm::SmallString<128> buf;
  if (clang::index::generateUSRForDecl(&d, buf)) return "";
  return buf.str().str();
}

namespace {

class definition_finder : public clang::RecursiveASTVisitor<definition_finder> {
public:
  explicit definition_finder(clang::ASTContext &ctx) : sm_(ctx.getSourceManager()) {}
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool VisitFunctionDecl(clang::FunctionDecl *f) {
    if (!f->doesThisDeclarationHaveABody() || f->isDependentContext() ||
        !f->isExternallyVisible() || sm_.isInSystemHeader(f->getLocation()))
      return true;
    if (std::string usr = usr_of(*f); !usr.empty()) found.emplace(std::move(usr), f);
    return true;
  }
  std::map<std::string, const clang::FunctionDecl *> found;

private:
  const clang::SourceManager &sm_;
};

} // namespace

std::map<std::string, const clang::FunctionDecl *> definitions_in(clang::ASTContext &ctx) {
  definition_finder finder(ctx);
  finder.TraverseDecl(ctx.getTranslationUnitDecl());
  return std::move(finder.found);
}

struct program_units::built {
  std::unique_ptr<clang::ASTUnit> ast;
  std::map<std::string, const clang::FunctionDecl *> definitions;
};

program_units::program_units(std::map<std::string, std::string> defined_in, loader load)
    : defined_in_(std::move(defined_in)), load_(std::move(load)) {}

program_units::~program_units() = default;

clang::ASTUnit *program_units::unit(const std::string &file) {
  auto [it, fresh] = units_.try_emplace(file);
  if (fresh) {
    it->second = std::make_unique<built>();
    it->second->ast = load_(file);
    if (it->second->ast) it->second->definitions = definitions_in(it->second->ast->getASTContext());
  }
  return it->second->ast.get();
}

const clang::FunctionDecl *program_units::definition(const clang::FunctionDecl &f) {
  const std::string usr = usr_of(f);
  const auto where = defined_in_.find(usr);
  if (usr.empty() || where == defined_in_.end() || !unit(where->second)) return nullptr;
  const auto &defs = units_.at(where->second)->definitions;
  const auto d = defs.find(usr);
  return d == defs.end() ? nullptr : d->second;
}

} // namespace gridlock::analyzer
