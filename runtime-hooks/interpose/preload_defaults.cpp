// libgridlock-preload.so's own defaults (under gridlock-run), before GRIDLOCK_OPTIONS.
//
// Unmodified programs under the preload do not report threads still blocked at exit (a worker
// pool's idle threads, a daemon thread waiting for work): report_leaks=1 turns that on.
extern "C" const char *__gridlock_default_options() { return "report_leaks=0"; }
