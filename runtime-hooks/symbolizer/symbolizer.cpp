#include "symbolizer.hpp"

#include <cstdio>
#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <execinfo.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace gridlock::symbolizer {
namespace {

// gridlock's own sources: the directory above this file's (runtime-hooks/). A program linked
// with the static libgridlock has gridlock's code (the interposer, this symbolizer) in its own
// module; gridlock's inline headers are there in any case.
std::string_view own_sources() {
  constexpr std::string_view self = __FILE__;
  constexpr std::string_view tail = "symbolizer/symbolizer.cpp";
  return self.ends_with(tail) ? self.substr(0, self.size() - tail.size()) : std::string_view{};
}

// Not the program's code though compiled into it: a system header (the C++ library's templates
// and inline functions: std::mutex::lock, std::lock_guard, std::thread::join), a sanitizer's
// interceptors (clang links them into the executable) or gridlock's own code.
bool not_the_programs(const char *file) {
  if (!file) return false;
  const std::string_view f(file);
  return f.starts_with("/usr/include/") || f.find("sanitizer_common/") != std::string_view::npos ||
         (!own_sources().empty() && f.starts_with(own_sources()));
}

// The Dwfl session and the caches, under one lock. Invariant: every pointer in `lines_` points
// into `strings_` (never shrinks), so handed-out locations stay valid forever.
class session {
public:
  static session &get() {
    static session *s = new session; // never destroyed: threads may still block at exit
    return *s;
  }

  // The program's line for return address pc: of the code inlined at pc - 1 (innermost first:
  // std::mutex::lock inlined into std::lock_guard's constructor inlined into worker()), the
  // innermost location that is the program's (not_the_programs); the innermost when none is.
  gl_location resolve(std::uintptr_t pc) {
    std::lock_guard lk(mu_);
    if (auto it = lines_.find(pc); it != lines_.end()) return it->second;
    const std::vector<gl_location> chain = lookup(pc - 1);
    gl_location loc = chain.empty() ? gl_location{} : chain.front();
    for (const gl_location &l : chain)
      if (l.file && !not_the_programs(l.file)) {
        loc = l;
        break;
      }
    lines_.emplace(pc, loc);
    return loc;
  }

  // The module holding pc is the program's own (not the C/C++ runtime, the loader, gridlock).
  bool users_module(std::uintptr_t pc) {
    std::lock_guard lk(mu_);
    Dwfl_Module *m = module_of(pc);
    if (!m) return false;
    const char *path =
        dwfl_module_info(m, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    const std::string_view name = base_name(path ? path : "");
    for (std::string_view runtime :
         {"libc.so", "libc-", "libstdc++", "libgcc_s", "ld-linux", "libgridlock", "libm.so",
          "libpthread", "libasan", "libtsan", "libubsan", "liblsan", "libhwasan"})
      if (name.starts_with(runtime)) return false;
    return true;
  }

  std::string data_name(const void *addr) {
    std::lock_guard lk(mu_);
    const auto a = reinterpret_cast<Dwarf_Addr>(addr);
    Dwfl_Module *m = module_of(a);
    if (!m) return {};
    GElf_Off offset = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(m, a, &offset, &sym, nullptr, nullptr, nullptr);
    if (!name || GELF_ST_TYPE(sym.st_info) != STT_OBJECT) return {};
    std::string out = demangle(name);
    // "(anonymous namespace)::forks" is "forks" to its reader.
    for (std::string_view anon = "(anonymous namespace)::";;) {
      const auto at = out.find(anon);
      if (at == std::string::npos) break;
      out.erase(at, anon.size());
    }
    if (offset != 0) out += "+" + std::to_string(offset);
    return out;
  }

  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

private:
  session() {
    static const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo,
                                             nullptr, nullptr};
    dwfl_ = dwfl_begin(&callbacks);
    report();
  }

  void report() {
    if (!dwfl_) return;
    dwfl_report_begin(dwfl_);
    dwfl_linux_proc_report(dwfl_, ::getpid());
    dwfl_report_end(dwfl_, nullptr, nullptr);
  }

  // mu_ held. A miss re-reads the mappings once (a library loaded since).
  Dwfl_Module *module_of(Dwarf_Addr a) {
    if (!dwfl_) return nullptr;
    if (Dwfl_Module *m = dwfl_addrmodule(dwfl_, a)) return m;
    report();
    return dwfl_addrmodule(dwfl_, a);
  }

  // mu_ held. The locations of address a, innermost first: its line-table entry, then the call
  // site of each inlined function around it (DW_AT_call_file/line of its inlined_subroutine).
  std::vector<gl_location> lookup(Dwarf_Addr a) {
    std::vector<gl_location> chain;
    Dwfl_Module *m = module_of(a);
    if (!m) return chain;
    gl_location inner{};
    if (const char *fn = dwfl_module_addrname(m, a)) inner.function = intern(demangle(fn));
    if (Dwfl_Line *line = dwfl_module_getsrc(m, a)) {
      int n = 0, column = 0;
      if (const char *file = dwfl_lineinfo(line, nullptr, &n, &column, nullptr, nullptr)) {
        inner.file = intern(file);
        inner.line = static_cast<std::uint32_t>(n);
        inner.column = static_cast<std::uint32_t>(column);
      }
    }
    chain.push_back(inner);
    add_inlined_callers(m, a, chain);
    return chain;
  }

  // mu_ held. Scopes are innermost first; an inlined_subroutine's call site is a location in
  // the next function out, whose name is that of the next subprogram or inlined scope.
  void add_inlined_callers(Dwfl_Module *m, Dwarf_Addr a, std::vector<gl_location> &chain) {
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(m, a, &bias);
    if (!cu) return;
    Dwarf_Files *files = nullptr;
    std::size_t nfiles = 0;
    if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0) return;
    // dwarf_getscopes gives the innermost scope at the address (then the abstract scopes of an
    // inlined function); dwarf_getscopes_die gives that DIE's concrete parents: each inlined
    // subroutine within the next, up to the subprogram and the unit.
    Dwarf_Die *at = nullptr;
    if (dwarf_getscopes(cu, a - bias, &at) <= 0) return;
    Dwarf_Die innermost = at[0];
    std::free(at);
    Dwarf_Die *scopes = nullptr;
    const int n = dwarf_getscopes_die(&innermost, &scopes);
    bool named = false; // the innermost location's function: the innermost scope's
    for (int i = 0; i < n; ++i) {
      const int tag = dwarf_tag(&scopes[i]);
      if (!named && (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram)) {
        if (const char *fn = name_of(&scopes[i])) chain.front().function = fn;
        named = true;
      }
      if (tag != DW_TAG_inlined_subroutine) continue;
      Dwarf_Attribute attr;
      Dwarf_Word file = 0, line = 0, column = 0;
      if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &file) != 0 ||
          dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &line) != 0)
        break;
      dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_column, &attr), &column);
      gl_location caller{};
      if (const char *path = dwarf_filesrc(files, file, nullptr, nullptr))
        caller.file = intern(path);
      caller.line = static_cast<std::uint32_t>(line);
      caller.column = static_cast<std::uint32_t>(column);
      for (int j = i + 1; j < n; ++j)
        if (const int tag = dwarf_tag(&scopes[j]);
            tag == DW_TAG_inlined_subroutine || tag == DW_TAG_subprogram) {
          caller.function = name_of(&scopes[j]);
          break;
        }
      chain.push_back(caller);
    }
    std::free(scopes);
  }

  // mu_ held. A function's name from its DIE (through its abstract origin when inlined).
  const char *name_of(Dwarf_Die *die) {
    Dwarf_Attribute attr;
    for (int at : {DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name})
      if (const char *name = dwarf_formstring(dwarf_attr_integrate(die, at, &attr)))
        return intern(demangle(name));
    return nullptr;
  }

  // C++ names only: a C symbol "a" is not the type it would demangle to ("signed char").
  static std::string demangle(const char *name) {
    if (std::string_view(name).substr(0, 2) != "_Z") return name;
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> out(
        abi::__cxa_demangle(name, nullptr, nullptr, &status), &std::free);
    return status == 0 && out ? std::string(out.get()) : std::string(name);
  }

  static std::string_view base_name(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
  }

  const char *intern(std::string s) { return strings_.insert(std::move(s)).first->c_str(); }

  std::mutex mu_;
  Dwfl *dwfl_ = nullptr;
  std::unordered_map<std::uintptr_t, gl_location> lines_;
  std::unordered_set<std::string> strings_;
};

} // namespace

gl_location resolve(std::uintptr_t pc) { return session::get().resolve(pc); }

bool programs_source(const char *file) { return file && !not_the_programs(file); }

gl_location first_user_frame() {
  std::array<void *, 32> frames{};
  const int n = ::backtrace(frames.data(), static_cast<int>(frames.size()));
  session &s = session::get();
  gl_location innermost{};
  for (int i = 0; i < n; ++i) {
    const auto pc = reinterpret_cast<std::uintptr_t>(frames[static_cast<std::size_t>(i)]);
    if (!s.users_module(pc)) continue;
    const gl_location loc = s.resolve(pc);
    if (!innermost.function && !innermost.file) innermost = loc;
    if (!not_the_programs(loc.file)) return loc;
  }
  return innermost;
}

std::string data_name(const void *addr) { return session::get().data_name(addr); }

std::string object_name(const void *addr, const char *kind) {
  std::string name = data_name(addr);
  if (!name.empty()) return name;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %p", kind, addr);
  return buf;
}

void before_fork() { session::get().lock(); }
void after_fork() { session::get().unlock(); }

} // namespace gridlock::symbolizer
