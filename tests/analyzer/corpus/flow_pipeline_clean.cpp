// A log-processing pipeline of four stages: read -> parse -> filter -> tally. Each stage runs on
// its own thread, reads its input until the upstream stage closes it, then closes its own
// output, so the shutdown travels stage by stage to the tally. Clean: every stage only waits
// on the stage before it, and the first one waits for nobody.
#include <gridlock/gridlock.hpp>

#include <cstdio>
#include <string>

namespace {

struct log_line {
  int seq;
  std::string text;
};

struct log_event {
  int seq;
  int severity;
};

class log_pipeline {
public:
  explicit log_pipeline(int lines) : lines_(lines) {}

  int run() {
    auto [raw_tx, raw_rx] = gridlock::make_channel<log_line>(4, "raw");
    auto [parsed_tx, parsed_rx] = gridlock::make_channel<log_event>(4, "parsed");
    auto [errors_tx, errors_rx] = gridlock::make_channel<log_event>(0, "errors");
    gridlock::thread reader("reader", &log_pipeline::read, this, std::move(raw_tx));
    gridlock::thread parser("parser", &log_pipeline::parse, this, std::move(raw_rx),
                            std::move(parsed_tx));
    gridlock::thread filter("filter", &log_pipeline::keep_errors, this, std::move(parsed_rx),
                            std::move(errors_tx));
    int errors = 0;
    while (auto e = errors_rx.recv()) ++errors;
    return errors;
  }

private:
  void read(gridlock::sender<log_line> out) {
    for (int i = 0; i < lines_; ++i)
      out.send({i, (i % 5 == 0 ? "ERROR disk " : "INFO ok ") + std::to_string(i)});
    out.close();
  }

  void parse(gridlock::receiver<log_line> in, gridlock::sender<log_event> out) {
    while (auto line = in.recv()) out.send({line->seq, line->text.starts_with("ERROR") ? 3 : 1});
    out.close();
  }

  void keep_errors(gridlock::receiver<log_event> in, gridlock::sender<log_event> out) {
    while (auto e = in.recv())
      if (e->severity >= 3) out.send(*e);
    out.close();
  }

  const int lines_;
};

} // namespace

int main() {
  log_pipeline pipeline(40);
  std::printf("errors: %d\n", pipeline.run());
  return 0;
}
