// goker_ports: every GoKer port in one program (linked once). `goker_ports <port> buggy|fixed`
// runs that port's main; each port's main() is renamed goker_main_<port> when it is compiled here
// (tests/CMakeLists.txt).
#include <cstdio>
#include <string_view>

#define GOKER_PORT(name) int goker_main_##name(int, char **);
#include "goker_ports.inc"
#undef GOKER_PORT

namespace {
struct port {
  std::string_view name;
  int (*main)(int, char **);
};
constexpr port ports[] = {
#define GOKER_PORT(name) {#name, goker_main_##name},
#include "goker_ports.inc"
#undef GOKER_PORT
};
} // namespace

int main(int argc, char **argv) {
  if (argc == 3)
    for (const port &p : ports)
      if (p.name == argv[1]) return p.main(argc - 1, argv + 1);
  std::fprintf(stderr, "usage: goker_ports <port> buggy|fixed (ports: tests/goker/*.cpp)\n");
  return 2;
}
