// The same pipeline with the bug GoKer finds again and again (etcd, moby, kubernetes): the
// collector waits for the squarers (wait_group::wait) before it cancels them, and they block
// sending results nobody reads any more, as they ignore the context.
//
// Expected: a definite deadlock, collector -> squarer-k -> collector: the collector in
// "wait_group wait" on 'squarers' (an AND wait for every squarer), a squarer in "chan send" on
// 'squares'. The heartbeat's ticker keeps running meanwhile (a partial deadlock). With
// on_deadlock=break the collector's wait is broken, it cancels, and the program ends.
#include "go_pipeline.hpp"

int main() { return go_pipeline::run(true); }
