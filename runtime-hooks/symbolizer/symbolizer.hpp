// symbolizer: code addresses to source lines, data addresses to symbol names - for the
// link-instrumentation layers, which see return addresses, not std::source_location.
//
// One implementation over elfutils' libdw (a Dwfl session over the process's own mappings, the
// same library eu-addr2line and eu-stack use), shared by the pthread interposer, the MPI layer
// and the crash path.
//
// Contract
//   - Every string returned (gl_location's file and function) has static storage: it is
//     interned and never freed, so a wait record or a report may keep it.
//   - A module loaded after the first lookup (dlopen) is found: a miss re-reads the mappings
//     once per miss.
//   - Nothing here blocks on anything but its own lock (a leaf: nothing else is taken under it).
//
// Cost: a lookup of an address seen before is a hash lookup under the lock; a new one reads the
// module's DWARF line table the first time (milliseconds for a large binary). Call it only on
// slow paths - a wait that really blocks - never from a signal handler.
//
// Thread-safety: every function may be called from any thread concurrently.
#pragma once

#include <gridlock/hooks.h>

#include <cstdint>
#include <string>

namespace gridlock::symbolizer {

// The source line of the call whose return address is `pc` (looked up at pc - 1). Unknown parts
// are null (file, function) or 0 (line): a binary without debug information still gets its
// function name from the symbol table.
gl_location resolve(std::uintptr_t pc);

// The innermost frame of the calling thread's stack that is the program's own code: whose module
// is not gridlock, the C or C++ runtime or the dynamic loader, and whose source is neither a
// system header nor gridlock's own (std::mutex::lock inlined or not, the caller of
// std::lock_guard's constructor is what is wanted; in a program linked with the static
// libgridlock, the interposer's frames are skipped by their source). Its location, or the innermost
// program frame's when all are in system headers.
gl_location first_user_frame();

// Whether `file` is the program's own source: neither a system header nor gridlock's own.
bool programs_source(const char *file);

// The name of the object at `addr` from the symbol tables: "forks", "forks+40" (40 bytes into
// it); empty when no symbol covers it (heap, stack).
std::string data_name(const void *addr);

// A name for the object at `addr` in a report: data_name(addr), or "<kind> 0x7f..." when no
// symbol covers it.
std::string object_name(const void *addr, const char *kind);

// fork: the forking thread takes the symbolizer's lock before fork() and releases it after, in
// parent and child, so a child never inherits it taken (pthread_atfork handlers of its users).
void before_fork();
void after_fork();

} // namespace gridlock::symbolizer
