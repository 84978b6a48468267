// A three-stage pipeline with credit-based flow control: the source may send one item per credit
// the sink grants. Stages live in source.cpp and stages.cpp; main.cpp wires them.
#pragma once

#include <gridlock/gridlock.hpp>

#include <string>

namespace credit {

constexpr int kItems = 8;

struct frame {
  int seq;
  std::string data;
};

// source.cpp: waits for a credit before each frame it sends.
void source(gridlock::receiver<int> credits, gridlock::sender<frame> out);

// stages.cpp
void encode(gridlock::receiver<frame> in, gridlock::sender<frame> out);
void sink(gridlock::receiver<frame> in, gridlock::sender<int> credits);

} // namespace credit
