// gridlock-check: finds circular sends and other blocking bugs of message-passing C++ programs
// from their source, as clang-tidy finds its bugs.
//
//   gridlock-check [options] [files...] [-- compiler flags]
//   -p BUILD_DIR      read compile_commands.json from BUILD_DIR (as clang-tidy); with no files,
//                     check every translation unit in it
//   -j N              check N translation units at once (default: the number of cores)
//   --format F        text (compiler diagnostics, default), json, sarif, html, perfetto
//   -o FILE           write there instead of stdout
//   --strip-path-prefix DIR
//                     print source paths relative to DIR (SARIF: %SRCROOT%); default: the
//                     source root of -p's build (its CMakeCache.txt, else the common folder of
//                     its files), else the current directory
//   --api A           gridlock (default), mpi, or a JSON file describing the program's own
//                     send/receive
//   --np N            --api mpi: the number of ranks (default: a `mpirun -np N` line in the
//                     source, else 2)
//
// Exit status: 0 no finding, 1 findings, 2 bad usage or input (one line on stderr says why).
#include "../engine/channel_host.hpp"
#include "../rules/rule.hpp"
#include "api_config.hpp"
#include "mpi_simulator.hpp"
#include "order_graph.hpp"
#include "program_index.hpp"
#include "rank_count.hpp"
#include "rank_interpreter.hpp"

#include <gridlock/report/formats.hpp>
#include <gridlock/report/report.hpp>

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Frontend/ASTUnit.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/CommonOptionsParser.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unistd.h>

namespace {

using namespace gridlock::analyzer;
namespace cl = llvm::cl;

cl::OptionCategory category("gridlock-check options");
cl::opt<std::string> format_opt("format",
                                cl::desc("Output format: " + gridlock::report::format_names()),
                                cl::init("text"), cl::cat(category));
cl::opt<std::string>
    strip_opt("strip-path-prefix",
              cl::desc("Print source paths relative to <dir> (default: the source root of -p's "
                       "build, else the current directory)"),
              cl::value_desc("dir"), cl::cat(category));
cl::opt<std::string> output_opt("o", cl::desc("Write the report to <file>"), cl::value_desc("file"),
                                cl::cat(category));
cl::opt<bool>
    dump_model_opt("dump-model",
                   cl::desc("Print the actors and operations found, to stderr (debugging)"),
                   cl::cat(category));
cl::opt<std::string>
    api_opt("api", cl::desc("Which calls send and receive: gridlock, mpi, or a JSON file"),
            cl::init("gridlock"), cl::cat(category));
cl::opt<unsigned> jobs_opt("j",
                           cl::desc("Check this many translation units at once (default: the "
                                    "number of cores)"),
                           cl::value_desc("N"), cl::init(0), cl::cat(category));
cl::opt<int>
    np_opt("np",
           cl::desc("--api mpi: the number of ranks (default: the source's `mpirun -np N`, "
                    "else 2)"),
           cl::init(0), cl::cat(category));

[[noreturn]] void fail(const std::string &why) {
  std::cerr << "gridlock-check: error: " << why << "\n";
  std::exit(2);
}

void dump(const program_model &m) {
  static const char *kinds[] = {"send", "recv", "close", "lock", "unlock"};
  for (std::size_t e = 0; e < m.entries.size(); ++e) {
    std::cerr << "entry " << e << " '" << m.entries[e].name << "'"
              << (m.entries[e].multi ? " (several)" : "") << "\n";
    for (std::size_t i = 0; i < m.ops.size(); ++i) {
      const op &o = m.ops[i];
      if (o.entry != static_cast<int>(e)) continue;
      std::cerr << "  op " << i << " " << kinds[static_cast<int>(o.kind)] << " object " << o.object
                << " line " << o.where.line << (o.conditional ? " conditional" : "")
                << (o.in_loop ? " loop" : "")
                << (o.in_loop ? " x" + (o.repeat ? std::to_string(*o.repeat) : std::string("?"))
                              : "")
                << (o.select_group >= 0 ? " select " + std::to_string(o.select_group) : "")
                << (o.pairs_with >= 0 ? " pairs " + std::to_string(o.pairs_with) : "")
                << " after [";
      for (int a : o.after) std::cerr << " " << a;
      std::cerr << " ] maybe [";
      for (int a : o.after_maybe) std::cerr << " " << a;
      std::cerr << " ]\n";
    }
  }
  for (const region &r : m.regions)
    std::cerr << (r.kind == region::kind_t::choice ? "choice" : "loop") << " of entry " << r.entry
              << " ops [" << r.begin << ", " << r.end << ")"
              << (r.count ? " x" + std::to_string(*r.count) : "")
              << (r.driver >= 0 ? " ended by op " + std::to_string(r.driver) : "")
              << (r.forever ? " forever" : "") << "\n";
}

// What the checks found beyond findings: remarks about what --api mpi skipped (each once).
using remarks = std::set<std::string>;

// --api mpi: the rank count for one file (--np, else its launch line, else 2), with a remark.
int rank_count(clang::ASTContext &ctx, remarks &notes) {
  const auto &sm = ctx.getSourceManager();
  const std::string file = sm.getFileEntryForID(sm.getMainFileID())
                               ? sm.getFileEntryForID(sm.getMainFileID())->getName().str()
                               : "<input>";
  if (np_opt > 0) return np_opt;
  if (const auto n = mpi::ranks_in_source(sm.getBufferData(sm.getMainFileID()))) {
    notes.insert(file + ": remark: checked with " + std::to_string(*n) +
                 " ranks, the count of its launch line [gridlock-mpi]");
    return *n;
  }
  return mpi::kDefaultRanks;
}

void dump(const mpi::program &p) {
  static const char *kinds[] = {"send", "recv", "probe", "wait", "collective", "abort"};
  for (int r = 0; r < p.np; ++r) {
    std::cerr << "rank " << r << (p.ranks[r].finished ? "" : " (unfinished)") << "\n";
    const auto &events = p.ranks[r].events;
    for (std::size_t e = 0; e < events.size(); ++e) {
      const mpi::event &x = events[e];
      std::cerr << "  " << e << " " << kinds[static_cast<int>(x.kind)] << " " << x.call << " peer "
                << x.peer << " tag " << x.tag << " comm " << x.comm
                << (x.blocking ? "" : " nonblocking") << " line " << x.where.line;
      for (int w : x.waits) std::cerr << " waits " << w;
      if (!x.uncertain.empty()) std::cerr << " uncertain: " << x.uncertain;
      std::cerr << "\n";
    }
  }
}

// What checking one translation unit gave.
struct unit_result {
  std::vector<gridlock::report::finding> findings;
  remarks notes;
  bool compiled = false;
  std::set<std::string> defines; // USRs of the functions it defines for other units
  std::set<std::string> wants;   // USRs of the program's functions it calls but does not define
  bool has_main = false;
  std::set<std::string> roots;   // USRs of the other functions it was checked from
  std::set<std::string> reached; // USRs of every function evaluated (linked units only)
};

// --api mpi: evaluate the program once per rank, simulate the ranks together, run the rules.
void check_mpi(clang::ASTContext &ctx, unit_result &out) {
  const clang::FunctionDecl *entry = mpi::find_entry(ctx);
  if (!entry) return;
  const mpi::program p = mpi::interpret(ctx, *entry, rank_count(ctx, out.notes), out.notes);
  if (dump_model_opt) dump(p);
  const std::vector<mpi::issue> issues = mpi::find_issues(p);
  const program_model none;
  const rule_input in{none, {}, &p, &issues};
  run_rules(in, out.findings);
}

// Runs every rule over one translation unit's model. `definitions` finds what it calls in other
// units; without it, such calls are noted in out.wants.
void check_unit(clang::ASTContext &ctx, const api_config &api, unit_result &out,
                engine::evaluator::resolver definitions = {}) {
  if (api.mpi) return check_mpi(ctx, out);
  if (!definitions) {
    for (auto &[usr, fn] : definitions_in(ctx)) out.defines.insert(usr);
    definitions = [&out](const clang::FunctionDecl &f) -> const clang::FunctionDecl * {
      if (std::string usr = usr_of(f); !usr.empty()) out.wants.insert(std::move(usr));
      return nullptr;
    };
  }
  program_model model;
  const bool linked = static_cast<bool>(definitions);
  const evaluation e = build_model(ctx, api, model, out.notes, std::move(definitions));
  out.has_main = e.main != nullptr;
  for (const clang::FunctionDecl *f : e.others) out.roots.insert(usr_of(*f));
  if (linked)
    for (const clang::FunctionDecl *f : e.reached) out.reached.insert(usr_of(*f));
  if (dump_model_opt) dump(model);
  const std::vector<deadlock> deadlocks = find_deadlocks(model);
  const rule_input in{model, deadlocks};
  run_rules(in, out.findings);
}

class consumer : public clang::ASTConsumer {
public:
  consumer(const api_config &api, unit_result &out) : api_(api), out_(out) {}
  void HandleTranslationUnit(clang::ASTContext &ctx) override {
    if (!ctx.getDiagnostics().hasErrorOccurred()) check_unit(ctx, api_, out_);
  }

private:
  const api_config &api_;
  unit_result &out_;
};

class action : public clang::ASTFrontendAction {
public:
  action(const api_config &api, unit_result &out) : api_(api), out_(out) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &,
                                                        llvm::StringRef) override {
    return std::make_unique<consumer>(api_, out_);
  }

private:
  const api_config &api_;
  unit_result &out_;
};

class factory : public clang::tooling::FrontendActionFactory {
public:
  factory(const api_config &api, unit_result &out) : api_(api), out_(out) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<action>(api_, out_);
  }

private:
  const api_config &api_;
  unit_result &out_;
};

// A tool for one file, with the arguments gridlock-check adds to every compile command.
std::unique_ptr<clang::tooling::ClangTool> tool_for(const clang::tooling::CompilationDatabase &db,
                                                    const std::string &file,
                                                    const api_config &api) {
  // Its own file system object: each unit's working directory (its compile command's) is then
  // the tool's, not the process's, which the other jobs share.
  auto tool = std::make_unique<clang::tooling::ClangTool>(
      db, std::vector<std::string>{file}, std::make_shared<clang::PCHContainerOperations>(),
      llvm::vfs::createPhysicalFileSystem());
  // Find the compiler's builtin headers (stddef.h, ...) wherever this tool is installed.
  tool->appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      {"-resource-dir=" GRIDLOCK_CLANG_RESOURCE_DIR, "-Wno-everything"},
      clang::tooling::ArgumentInsertPosition::END));
  if (api.mpi) // Open MPI's headers as found at build time, after the program's own -I flags
    for (llvm::StringRef dir : llvm::split(GRIDLOCK_MPI_INCLUDE_DIRS, ':'))
      if (!dir.empty())
        tool->appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
            {"-idirafter", dir.str()}, clang::tooling::ArgumentInsertPosition::END));
  return tool;
}

// The units that call functions other units define are checked again, following those calls
// into the other units' ASTs (built on demand): actors and channels that meet across files.
void link_units(const clang::tooling::CompilationDatabase &db,
                const std::vector<std::string> &files, const api_config &api,
                std::vector<unit_result> &results) {
  std::map<std::string, std::string> defined_in;
  for (std::size_t i = 0; i < files.size(); ++i)
    for (const std::string &usr : results[i].defines) defined_in.emplace(usr, files[i]);
  program_units units(defined_in, [&](const std::string &file) {
    std::vector<std::unique_ptr<clang::ASTUnit>> asts;
    tool_for(db, file, api)->buildASTs(asts);
    return asts.empty() ? nullptr : std::move(asts.front());
  });
  std::set<std::string> reached; // by the linked units
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto elsewhere = [&](const std::string &usr) {
      const auto d = defined_in.find(usr);
      return d != defined_in.end() && d->second != files[i];
    };
    unit_result &r = results[i];
    if (!r.compiled || std::none_of(r.wants.begin(), r.wants.end(), elsewhere)) continue;
    clang::ASTUnit *ast = units.unit(files[i]);
    if (!ast) continue;
    unit_result linked;
    check_unit(ast->getASTContext(), api, linked,
               [&](const clang::FunctionDecl &f) { return units.definition(f); });
    r.findings = std::move(linked.findings);
    r.notes.merge(linked.notes);
    reached.merge(linked.reached);
  }
  // A unit without main() whose threads a linked main() starts was checked again from there,
  // with the objects it gets: what it gave alone (unknown channels) is dropped.
  for (unit_result &r : results)
    if (!r.has_main && !r.roots.empty() &&
        std::includes(reached.begin(), reached.end(), r.roots.begin(), r.roots.end())) {
      r.findings.clear();
      r.notes.clear();
    }
}

// Checks every file, `jobs` at a time, each translation unit with its own Clang instance (as
// run-clang-tidy does). Results in the order of `files`, whatever order they finish in; on a
// terminal, "[i/n] file" on stderr as each starts.
std::vector<unit_result> check_units(const clang::tooling::CompilationDatabase &db,
                                     const std::vector<std::string> &files, const api_config &api,
                                     unsigned jobs) {
  std::vector<unit_result> results(files.size());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mu;
  const bool progress = files.size() > 1 && ::isatty(2);
  const auto work = [&] {
    for (std::size_t i; (i = next++) < files.size();) {
      if (progress) {
        std::lock_guard lk(progress_mu);
        std::cerr << "[" << i + 1 << "/" << files.size() << "] " << files[i] << "\n";
      }
      factory f(api, results[i]);
      results[i].compiled = tool_for(db, files[i], api)->run(&f) == 0;
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned k = 1; k < std::min<std::size_t>(jobs, files.size()); ++k)
    helpers.emplace_back(work);
  work();
  for (std::thread &t : helpers) t.join();
  link_units(db, files, api, results);
  return results;
}

// The same finding from two translation units (a header) is reported once.
void dedupe(std::vector<gridlock::report::finding> &fs) {
  std::set<std::string> seen;
  std::vector<gridlock::report::finding> out;
  for (auto &f : fs) {
    std::string key = f.rule;
    for (const auto &a : f.actors)
      key += "|" + a.where.file + ":" + std::to_string(a.where.line) + ":" + a.name;
    if (seen.insert(key).second) out.push_back(std::move(f));
  }
  fs = std::move(out);
}

// The folder every path of the report is printed relative to: --strip-path-prefix, else the
// source root of the -p build (CMake's CMAKE_HOME_DIRECTORY, else the deepest folder holding
// every file of its database), else the current directory.
std::string source_root(const std::string &build_dir,
                        const clang::tooling::CompilationDatabase &db) {
  namespace fs = std::filesystem;
  if (strip_opt.getNumOccurrences()) return strip_opt;
  if (build_dir.empty()) return fs::current_path().string();
  std::ifstream cache(fs::path(build_dir) / "CMakeCache.txt");
  const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
  for (std::string line; std::getline(cache, line);)
    if (line.rfind(key, 0) == 0) return line.substr(key.size());
  std::optional<fs::path> common;
  for (const std::string &file : db.getAllFiles()) {
    const fs::path dir = fs::path(file).parent_path();
    if (!common) {
      common = dir;
      continue;
    }
    fs::path shared;
    for (auto a = common->begin(), b = dir.begin();
         a != common->end() && b != dir.end() && *a == *b; ++a, ++b)
      shared /= *a;
    common = shared;
  }
  return common && !common->empty() ? common->string() : fs::current_path().string();
}

// The -p BUILD_DIR of the command line ("" without -p) and its compile database, loaded here
// because it must be loadable — clang's own fallback ("Running without flags") would check every
// file with the wrong flags — and because LibTooling loads none when no file is given.
struct build_database {
  std::string dir;
  std::unique_ptr<clang::tooling::CompilationDatabase> db;
};

build_database load_build_dir(int argc, const char **argv) {
  build_database found;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") break;
    std::string dir;
    if ((a == "-p" || a == "--p") && i + 1 < argc)
      dir = argv[i + 1];
    else if (a.rfind("-p=", 0) == 0)
      dir = a.substr(3);
    if (dir.empty()) continue;
    std::string why;
    const std::string file = dir + "/compile_commands.json";
    found.db = clang::tooling::JSONCompilationDatabase::loadFromFile(
        file, why, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    if (!found.db) fail("cannot load " + file + ": " + why.substr(0, why.find('\n')));
    found.dir = dir;
  }
  return found;
}

// Runs f with stderr going to a temporary file, and returns f's result; what it printed is put
// in `printed`.
template <class F> auto with_stderr_captured(std::string &printed, F f) {
  std::FILE *tmp = std::tmpfile();
  const int saved = tmp ? ::dup(2) : -1;
  if (saved >= 0) {
    std::fflush(stderr);
    ::dup2(::fileno(tmp), 2);
  }
  auto result = f();
  if (saved >= 0) {
    llvm::errs().flush();
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::rewind(tmp);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, tmp)) > 0;) printed.append(buf, n);
  }
  if (tmp) std::fclose(tmp);
  return result;
}

} // namespace

int main(int argc, const char **argv) {
  const build_database build = load_build_dir(argc, argv);
  std::string printed; // llvm::cl prints a bad option value to stderr itself
  auto parser = with_stderr_captured(printed, [&] {
    return clang::tooling::CommonOptionsParser::create(
        argc, argv, category, cl::ZeroOrMore, "gridlock-check: deadlocks in message-passing C++");
  });
  if (!parser) {
    std::string why = llvm::toString(parser.takeError());
    if (why.empty()) why = printed;
    if (why.rfind("gridlock-check: ", 0) == 0) why.erase(0, 16);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    fail(why.substr(0, why.find('\n')));
  }
  std::cerr << printed; // warnings of a successful parse
  const gridlock::report::format *renderer = gridlock::report::find_format(format_opt);
  if (!renderer)
    fail("unknown --format '" + format_opt + "' (expected " + gridlock::report::format_names() +
         ")");
  api_config api;
  try {
    api = load_api(api_opt);
  } catch (const std::exception &e) {
    fail(e.what());
  }
  if (np_opt.getNumOccurrences() && (np_opt < 1 || np_opt > mpi::kMaxRanks))
    fail("--np must be between 1 and " + std::to_string(mpi::kMaxRanks));
  if (np_opt.getNumOccurrences() && !api.mpi) fail("--np needs --api mpi");
  if (jobs_opt.getNumOccurrences() && (jobs_opt < 1 || jobs_opt > 1024))
    fail("-j must be between 1 and 1024");
  // Files given: LibTooling's database (it adds --extra-arg). None: every file of -p's.
  std::vector<std::string> files = parser->getSourcePathList();
  const bool whole = files.empty() && build.db;
  if (whole) files = build.db->getAllFiles();
  if (files.empty()) fail("no input files (give files, or -p BUILD_DIR to check its database)");
  for (const auto &f : files)
    if (!std::filesystem::exists(f)) fail("no such file: " + f);
  const clang::tooling::CompilationDatabase &db = whole ? *build.db : parser->getCompilations();

  const unsigned jobs = jobs_opt ? jobs_opt : std::max(1u, std::thread::hardware_concurrency());
  std::vector<gridlock::report::finding> findings;
  remarks notes;
  bool compiled = true;
  for (unit_result &u : check_units(db, files, api, jobs)) {
    std::move(u.findings.begin(), u.findings.end(), std::back_inserter(findings));
    notes.merge(u.notes);
    compiled = compiled && u.compiled;
  }
  for (const std::string &n : notes) std::cerr << n << "\n";
  if (!compiled) fail("some input did not compile (see the errors above)");
  dedupe(findings);

  gridlock::report::report r;
  r.source = "static";
  r.program = "gridlock-check";
  r.pid = 0;
  r.findings = std::move(findings);
  gridlock::report::attach_source_context(r); // the HTML shows each step's lines
  const std::string root = source_root(build.dir, db);
  gridlock::report::strip_path_prefix(r, root);
  const std::string text = renderer->render(r, {"gridlock-check", root, rule_descriptions()});
  if (output_opt.empty())
    std::cout << text;
  else {
    std::ofstream out(output_opt);
    if (!(out << text)) fail("cannot write " + output_opt);
  }
  return r.findings.empty() ? 0 : 1;
}
