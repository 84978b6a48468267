// model_builder: walks one translation unit's Clang AST and adds its actors, channels, mutexes and
// blocking operations to a program_model.
//
// What it follows (one level of helper calls and any nesting of thread starts):
//   - thread starts: gridlock::thread, std::thread, std::jthread, pthread_create; the callable is
//     a lambda, a function, or a variable holding a lambda; each start is one entry, and the
//     function containing starts is an entry too (the starting thread);
//   - channel handles into entries: thread arguments, lambda captures by value and by reference,
//     init-captures, locals initialised from handles, std::move/std::ref, helper-call arguments;
//   - channels: `auto [tx, rx] = gridlock::make_channel<T>(capacity, "name")` (capacity when it is
//     a constant), make_unbounded_channel, mailboxes; mutexes: gridlock::mutex, std::mutex, held by
//     lock_guard / unique_lock / scoped_lock until the end of their scope, or lock()..unlock();
//   - order: for each operation, the operations of its entry that dominate it in Clang's CFG.
#pragma once

#include "api_config.hpp"
#include "model.hpp"

namespace clang {
class ASTContext;
}

namespace gridlock::analyzer {

void build_model(clang::ASTContext &ctx, const api_config &api, program_model &model);

} // namespace gridlock::analyzer
