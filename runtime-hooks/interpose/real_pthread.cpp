#include "real_pthread.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace gridlock::interpose {
namespace {

real_functions table;
pthread_once_t resolved = PTHREAD_ONCE_INIT;

// No stdio, no allocation: this may run while the C library is still starting.
[[noreturn]] void missing(const char *name) {
  const char *msg = "gridlock-preload: error: the C library does not define ";
  (void)!::write(2, msg, std::strlen(msg));
  (void)!::write(2, name, std::strlen(name));
  (void)!::write(2, "\n", 1);
  std::_Exit(2);
}

template <class F> void find(F &slot, const char *name, const char *version = nullptr) {
  void *p = version ? ::dlvsym(RTLD_NEXT, name, version) : nullptr;
  if (!p) p = ::dlsym(RTLD_NEXT, name);
  if (!p) missing(name);
  slot = reinterpret_cast<F>(p);
}

void resolve() {
  real_functions &t = table;
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
  // The condition variable has two ABIs in glibc; programs linked since 2002 use GLIBC_2.3.2.
  find(t.cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
  find(t.cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
  find(t.cond_clockwait, "pthread_cond_clockwait");
  find(t.cond_signal, "pthread_cond_signal", "GLIBC_2.3.2");
  find(t.cond_broadcast, "pthread_cond_broadcast", "GLIBC_2.3.2");
  find(t.cond_destroy, "pthread_cond_destroy", "GLIBC_2.3.2");
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

const real_functions &real() {
  ::pthread_once(&resolved, resolve);
  return table;
}

} // namespace gridlock::interpose
