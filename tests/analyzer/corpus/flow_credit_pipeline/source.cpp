// The source stage: one frame per credit received from the sink.
#include "pipeline.hpp"

namespace credit {

void source(gridlock::receiver<int> credits, gridlock::sender<frame> out) {
  for (int i = 0; i < kItems; ++i) {
    if (!credits.recv()) break; // CHECK-WARN: gridlock-recv-recv definite
    out.send({i, "frame-" + std::to_string(i)});
  }
  out.close();
}

} // namespace credit
