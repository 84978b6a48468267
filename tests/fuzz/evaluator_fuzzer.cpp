// Fuzz target: gridlock-check's evaluator on small C++ programs. The input follows a fixed
// prelude (a miniature of gridlock's API and of std::pair, so no header is parsed); an input
// that compiles is evaluated, matched and checked by every rule, as gridlock-check does with a
// translation unit. Evaluation must end (its budgets are a remark, never a hang) and never crash.
#include "../../analyzer/engine/channel_host.hpp"
#include "../../analyzer/rules/rule.hpp"

#include <clang/Basic/Diagnostic.h>
#include <clang/Frontend/ASTUnit.h>
#include <clang/Tooling/Tooling.h>

#include <cstdint>
#include <string>

namespace {

const char *const kPrelude = R"(
namespace std {
template <class A, class B> struct pair { A first; B second; };
template <class T> T &&move(T &t) { return static_cast<T &&>(t); }
class mutex { public: void lock(); void unlock(); };
template <class M> class lock_guard { public: explicit lock_guard(M &); ~lock_guard(); };
class thread {
public:
  template <class F, class... A> explicit thread(F &&, A &&...) {}
  void join();
};
} // namespace std
namespace gridlock {
template <class T> class sender { public: void send(T); void close(); };
template <class T> class receiver { public: bool recv(); };
template <class T> std::pair<sender<T>, receiver<T>> make_channel(unsigned long, const char * = "");
class thread {
public:
  template <class F, class... A> thread(const char *, F &&, A &&...) {}
  void join();
};
} // namespace gridlock
#line 1 "input.cpp"
)";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size > 8192) return 0;
  const std::string code = kPrelude + std::string(reinterpret_cast<const char *>(data), size);
  clang::IgnoringDiagConsumer quiet;
  std::unique_ptr<clang::ASTUnit> ast = clang::tooling::buildASTFromCodeWithArgs(
      code, {"-std=c++20", "-Wno-everything"}, "input.cpp", "gridlock-check",
      std::make_shared<clang::PCHContainerOperations>(),
      clang::tooling::getClangStripDependencyFileAdjuster(), {}, &quiet);
  if (!ast || ast->getDiagnostics().hasErrorOccurred()) return 0;
  using namespace gridlock::analyzer;
  program_model model;
  std::set<std::string> remarks;
  build_model(ast->getASTContext(), api_config{}, model, remarks);
  const std::vector<deadlock> deadlocks = find_deadlocks(model);
  std::vector<gridlock::report::finding> findings;
  run_rules(rule_input{model, deadlocks}, findings);
  return 0;
}
