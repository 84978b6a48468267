// Go's toolbox, used right: a pipeline cancelled through a context, its workers in a wait group,
// a ticker heartbeat (go_pipeline.hpp). Expected: no finding.
#include "go_pipeline.hpp"

int main() { return go_pipeline::run(false); }
