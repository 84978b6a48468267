// The benchmarks compare gridlock with peers that block in the C library (std::mutex, moodycamel's
// and Boost's semaphores, TBB): libgridlock's interposer of the program's own pthread calls is
// off in them (interpose=0), so a peer's lock or semaphore costs only the interposer's pass-through
// (a thread-local load and an indirect call), never a recorded wait or a lock-order entry.
extern "C" const char *__gridlock_default_options() { return "interpose=0"; }
