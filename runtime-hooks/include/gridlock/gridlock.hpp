// gridlock: deadlock and starvation detection for message-passing C++ programs.
// The whole run-time API; see each header for its contract.
#pragma once

#include <gridlock/actor.hpp>
#include <gridlock/channel.hpp>
#include <gridlock/condition_variable.hpp>
#include <gridlock/context.hpp>
#include <gridlock/errors.hpp>
#include <gridlock/findings.hpp>
#include <gridlock/mailbox.hpp>
#include <gridlock/mutex.hpp>
#include <gridlock/once.hpp>
#include <gridlock/options.hpp>
#include <gridlock/select.hpp>
#include <gridlock/semaphore.hpp>
#include <gridlock/shared_mutex.hpp>
#include <gridlock/thread.hpp>
#include <gridlock/timer.hpp>
#include <gridlock/wait_group.hpp>
