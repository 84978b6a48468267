#include "real_pthread.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gridlock::interpose {
namespace {

pthread_once_t resolved = PTHREAD_ONCE_INIT;

// No stdio, no allocation: this may run while the C library is still starting.
[[noreturn]] void missing(const char *name) {
  const char *msg = "gridlock-preload: error: the C library does not define ";
  (void)!::write(2, msg, std::strlen(msg));
  (void)!::write(2, name, std::strlen(name));
  (void)!::write(2, "\n", 1);
  std::_Exit(2);
}

// dlsym, not dlvsym: it gives the default version (the condition variable's GLIBC_2.3.2 ABI) and
// finds a sanitizer's interceptor loaded after us, which a versioned lookup would skip.
template <class F> void find(F &slot, const char *name) {
  void *p = ::dlsym(RTLD_NEXT, name);
  if (!p) missing(name);
  slot = reinterpret_cast<F>(p);
}

void resolve() {
  real_functions &t = real_table::table;
  find(t.mutex_lock, "pthread_mutex_lock");
  find(t.mutex_trylock, "pthread_mutex_trylock");
  find(t.mutex_timedlock, "pthread_mutex_timedlock");
  find(t.mutex_clocklock, "pthread_mutex_clocklock");
  find(t.mutex_unlock, "pthread_mutex_unlock");
  find(t.mutex_destroy, "pthread_mutex_destroy");
  find(t.rwlock_rdlock, "pthread_rwlock_rdlock");
  find(t.rwlock_tryrdlock, "pthread_rwlock_tryrdlock");
  find(t.rwlock_timedrdlock, "pthread_rwlock_timedrdlock");
  find(t.rwlock_clockrdlock, "pthread_rwlock_clockrdlock");
  find(t.rwlock_wrlock, "pthread_rwlock_wrlock");
  find(t.rwlock_trywrlock, "pthread_rwlock_trywrlock");
  find(t.rwlock_timedwrlock, "pthread_rwlock_timedwrlock");
  find(t.rwlock_clockwrlock, "pthread_rwlock_clockwrlock");
  find(t.rwlock_unlock, "pthread_rwlock_unlock");
  find(t.rwlock_destroy, "pthread_rwlock_destroy");
  find(t.cond_wait, "pthread_cond_wait");
  find(t.cond_timedwait, "pthread_cond_timedwait");
  find(t.cond_clockwait, "pthread_cond_clockwait");
  find(t.cond_signal, "pthread_cond_signal");
  find(t.cond_broadcast, "pthread_cond_broadcast");
  find(t.cond_destroy, "pthread_cond_destroy");
  find(t.sem_wait, "sem_wait");
  find(t.sem_trywait, "sem_trywait");
  find(t.sem_timedwait, "sem_timedwait");
  find(t.sem_clockwait, "sem_clockwait");
  find(t.sem_post, "sem_post");
  find(t.sem_destroy, "sem_destroy");
  find(t.barrier_wait, "pthread_barrier_wait");
  find(t.barrier_destroy, "pthread_barrier_destroy");
  find(t.create, "pthread_create");
  find(t.join, "pthread_join");
  find(t.tryjoin_np, "pthread_tryjoin_np");
  find(t.timedjoin_np, "pthread_timedjoin_np");
  find(t.clockjoin_np, "pthread_clockjoin_np");
  find(t.setname_np, "pthread_setname_np");
}

} // namespace

namespace real_table {
real_functions table;
bool table_ready = false;

void resolve_table() {
  ::pthread_once(&resolved, resolve);
  __atomic_store_n(&table_ready, true, __ATOMIC_RELEASE);
}
} // namespace real_table

} // namespace gridlock::interpose
