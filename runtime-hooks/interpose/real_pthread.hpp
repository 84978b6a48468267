// real_pthread: the C library's own definitions of every function the interposer replaces,
// found with dlsym(RTLD_NEXT): the default symbol version (GLIBC_2.3.2 for the condition
// variable), or a sanitizer's interceptor when one is loaded after this library.
//
// Contract: real() never returns a null pointer (a function the C library lacks aborts with a
// one-line message at the first call, before anything is interposed). Resolution happens once,
// under pthread_once, which is not interposed: safe from any interposed function, even one called
// while the C library is still starting.
//
// Thread-safety: real() may be called from any thread concurrently; the table never changes after.
#pragma once

#include <pthread.h>
#include <semaphore.h>
#include <time.h>

namespace gridlock::interpose {

struct real_functions {
  int (*mutex_lock)(pthread_mutex_t *);
  int (*mutex_trylock)(pthread_mutex_t *);
  int (*mutex_timedlock)(pthread_mutex_t *, const timespec *);
  int (*mutex_clocklock)(pthread_mutex_t *, clockid_t, const timespec *);
  int (*mutex_unlock)(pthread_mutex_t *);
  int (*mutex_destroy)(pthread_mutex_t *);
  int (*rwlock_rdlock)(pthread_rwlock_t *);
  int (*rwlock_tryrdlock)(pthread_rwlock_t *);
  int (*rwlock_timedrdlock)(pthread_rwlock_t *, const timespec *);
  int (*rwlock_clockrdlock)(pthread_rwlock_t *, clockid_t, const timespec *);
  int (*rwlock_wrlock)(pthread_rwlock_t *);
  int (*rwlock_trywrlock)(pthread_rwlock_t *);
  int (*rwlock_timedwrlock)(pthread_rwlock_t *, const timespec *);
  int (*rwlock_clockwrlock)(pthread_rwlock_t *, clockid_t, const timespec *);
  int (*rwlock_unlock)(pthread_rwlock_t *);
  int (*rwlock_destroy)(pthread_rwlock_t *);
  int (*cond_wait)(pthread_cond_t *, pthread_mutex_t *);
  int (*cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const timespec *);
  int (*cond_clockwait)(pthread_cond_t *, pthread_mutex_t *, clockid_t, const timespec *);
  int (*cond_signal)(pthread_cond_t *);
  int (*cond_broadcast)(pthread_cond_t *);
  int (*cond_destroy)(pthread_cond_t *);
  int (*sem_wait)(sem_t *);
  int (*sem_trywait)(sem_t *);
  int (*sem_timedwait)(sem_t *, const timespec *);
  int (*sem_clockwait)(sem_t *, clockid_t, const timespec *);
  int (*sem_post)(sem_t *);
  int (*sem_destroy)(sem_t *);
  int (*barrier_wait)(pthread_barrier_t *);
  int (*barrier_destroy)(pthread_barrier_t *);
  int (*create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
  int (*join)(pthread_t, void **);
  int (*tryjoin_np)(pthread_t, void **);
  int (*timedjoin_np)(pthread_t, void **, const timespec *);
  int (*clockjoin_np)(pthread_t, void **, clockid_t, const timespec *);
  int (*setname_np)(pthread_t, const char *);
};

namespace real_table {
extern real_functions table;
extern bool table_ready; // written once under pthread_once, read with acquire loads
void resolve_table();
} // namespace real_table

// One load and a branch once resolved (the table is read on every interposed call).
inline const real_functions &real() {
  if (__builtin_expect(!__atomic_load_n(&real_table::table_ready, __ATOMIC_ACQUIRE), 0))
    real_table::resolve_table();
  return real_table::table;
}

} // namespace gridlock::interpose
