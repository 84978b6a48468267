// The encoder and the sink. The sink grants a credit for every frame it has consumed, but never
// grants the initial window before waiting for the first frame.
#include "pipeline.hpp"

#include <cstdio>

namespace credit {

void encode(gridlock::receiver<frame> in, gridlock::sender<frame> out) {
  while (auto f = in.recv()) { // CHECK-NOTE
    f->data = "<" + f->data + ">";
    out.send(std::move(*f));
  }
  out.close();
}

void sink(gridlock::receiver<frame> in, gridlock::sender<int> credits) {
  std::size_t bytes = 0;
  while (auto f = in.recv()) { // CHECK-NOTE
    bytes += f->data.size();
    credits.send(1);
  }
  std::printf("sink: %zu bytes\n", bytes);
}

} // namespace credit
