// channel_host: the channel mode of gridlock-check (--api gridlock, or a user API file) on the
// evaluator. The primitives it knows are one table (channel_host.cpp, `kCalls`): gridlock's
// channels (make_channel, make_unbounded_channel, sender::send / close, receiver::recv), mailboxes
// (send, post, receive, receive_from, receive_all), mutexes (gridlock::mutex / shared_mutex and
// std::mutex, recursive_mutex, timed_mutex, recursive_timed_mutex, shared_mutex,
// shared_timed_mutex: lock, unlock, lock_shared, unlock_shared), lock guards (std::lock_guard,
// unique_lock with lock / unlock / defer_lock / adopt_lock, scoped_lock, shared_lock;
// gridlock::lock_guard, shared_lock_guard) and thread starts (std::thread, std::jthread,
// gridlock::thread, pthread_create, std::async, emplace_back on a container of threads), plus
// gridlock::set_actor_name. A user API file adds its send and receive functions as rows.
// Not modelled: select, try_ and timed operations (they never block forever).
//
// Actors: main() of the main file, each function of the main file that starts threads and that
// main() does not reach (a scenario function, a server's start()), and for a user API file each
// process's function; plus every thread they start, evaluated where it is started.
#pragma once

#include "evaluator.hpp"

#include "../src/api_config.hpp"
#include "../src/model.hpp"

#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace gridlock::analyzer {

// Evaluates the translation unit's actors and adds them, their channels, mutexes and blocking
// operations to `model`. `remarks` receives what the evaluator did not follow. `definitions`
// finds the functions the unit calls but does not define (in the program's other units).
// Returns where the evaluation started and what it reached.
struct evaluation {
  const clang::FunctionDecl *main = nullptr;       // main(), if the unit defines it
  std::vector<const clang::FunctionDecl *> others; // the other functions evaluated as roots
  std::set<const clang::FunctionDecl *> reached;   // every function evaluated (in any unit)
};
evaluation build_model(clang::ASTContext &ctx, const api_config &api, program_model &model,
                       std::set<std::string> &remarks,
                       engine::evaluator::resolver definitions = {});

} // namespace gridlock::analyzer
