// Force-included into each GoKer port when it is compiled into goker_ports (after the
// precompiled header): the port's main() becomes goker_main_<GOKER_PORT>.
#pragma once
#define GOKER_CAT2(a, b) a##b
#define GOKER_CAT(a, b) GOKER_CAT2(a, b)
#define main GOKER_CAT(goker_main_, GOKER_PORT)
