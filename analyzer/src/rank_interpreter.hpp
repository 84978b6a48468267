// rank_interpreter: evaluates an MPI program's main() once per rank (--api mpi) and records the
// MPI operations each rank performs: a small abstract interpreter over Clang's AST.
//
// What it evaluates, per rank r of N: integer variables (locals, parameters, globals) through
// assignments, arithmetic, comparisons, ?:, and calls to the program's own functions (arguments,
// return values, pointers to variables); MPI_Comm_rank/MPI_Comm_size (r and N on MPI_COMM_WORLD and
// its duplicates); branches whose condition it knows, loops with a known trip count (unrolled, up
// to 10,000 iterations each), switch. MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_PROC_NULL, MPI_COMM_WORLD
// and MPI_COMM_SELF are recognised by macro name, so Open MPI and MPICH headers behave the same.
//
// What it cannot know — program input (argc, argv, atoi, scanf), data received in messages, array
// elements, struct fields, results of library calls — is "unknown", with the reason. A branch on an
// unknown condition that contains MPI operations is followed on its 'then' side, a loop with an
// unknown trip count once; every MPI operation from there on carries the reason in
// `event::uncertain`, so nothing found through it is "definite". A branch on an unknown condition
// whose one side only leaves (return, exit) is assumed not taken. Calls it cannot follow (through
// function pointers, MPI functions it does not model, statements it does not handle) are listed
// as remarks and make later operations uncertain.
//
// Cost: bounded by 2,000,000 evaluated statements and 100,000 MPI operations per rank (4,000,000
// over all ranks); a rank that hits a bound is marked unfinished and what involves it is only
// "possible". Never throws on any input that Clang accepted.
#pragma once

#include "mpi_model.hpp"

#include <set>
#include <string>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace gridlock::analyzer::mpi {

// The function each rank runs: main() of the main file, or else the first function there that
// calls MPI_Init; nullptr if there is none.
const clang::FunctionDecl *find_entry(clang::ASTContext &ctx);

// Evaluates `entry` for ranks 0..np-1. `remarks` receives "file:line:col: remark: ..." lines for
// what was skipped (each once).
program interpret(clang::ASTContext &ctx, const clang::FunctionDecl &entry, int np,
                  std::set<std::string> &remarks);

} // namespace gridlock::analyzer::mpi
