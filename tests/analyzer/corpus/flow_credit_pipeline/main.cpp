// A credit-flow-controlled pipeline, source -> encoder -> sink, whose sink waits for the first
// frame before granting any credit while the source waits for a credit before the first frame.
// Each stage blocks in a receive from the one before it: source -> sink -> encoder -> source. The
// receives are in source.cpp and stages.cpp: the cycle shows only with every file analysed.
#include "pipeline.hpp"

int main() {
  auto [credit_tx, credit_rx] = gridlock::make_channel<int>(credit::kItems, "credits");
  auto [raw_tx, raw_rx] = gridlock::make_channel<credit::frame>(2, "raw-frames");
  auto [enc_tx, enc_rx] = gridlock::make_channel<credit::frame>(2, "encoded-frames");
  gridlock::thread src("source", credit::source, std::move(credit_rx), std::move(raw_tx));
  gridlock::thread enc("encoder", credit::encode, std::move(raw_rx), std::move(enc_tx));
  gridlock::thread snk("sink", credit::sink, std::move(enc_rx), std::move(credit_tx));
  return 0;
}
