// seq for callgrind: `seq_callgrind instrumented|disabled N` runs N sends then N receives on one
// channel (capacity N, so nothing blocks) in the chosen build of gridlock. bench/run.sh counts
// the instructions of bench_seq_<build> alone (--toggle-collect), which are repeatable where
// wall time is not.
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" long bench_seq_instrumented(int n);
extern "C" long bench_seq_disabled(int n);

int main(int argc, char **argv) {
  if (argc != 3 || (std::strcmp(argv[1], "instrumented") && std::strcmp(argv[1], "disabled"))) {
    std::fprintf(stderr, "usage: seq_callgrind instrumented|disabled N\n");
    return 2;
  }
  const int n = std::atoi(argv[2]);
  if (n <= 0 || n > 100'000'000) {
    std::fprintf(stderr, "seq_callgrind: error: N must be 1..100000000\n");
    return 2;
  }
  const long sum =
      std::strcmp(argv[1], "instrumented") == 0 ? bench_seq_instrumented(n) : bench_seq_disabled(n);
  std::printf("%ld\n", sum);
  return 0;
}
