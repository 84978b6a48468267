// expect: clean
// A PTHREAD_MUTEX_ERRORCHECK mutex relocked by its owner fails with EDEADLK instead of hanging
// (asserted), the owner then unlocks it once; two threads do this in turn.
#define _GNU_SOURCE
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t checked;
static int relock_refusals;

static void *relock_once(void *arg) {
  pthread_setname_np(pthread_self(), (const char *)arg);
  int rc = pthread_mutex_lock(&checked);
  assert(rc == 0);
  rc = pthread_mutex_lock(&checked); // the owner relocks: refused, no hang
  assert(rc == EDEADLK);
  if (rc == EDEADLK) ++relock_refusals;
  rc = pthread_mutex_unlock(&checked);
  assert(rc == 0);
  (void)rc;
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_init(&checked, &attr);
  pthread_mutexattr_destroy(&attr);

  pthread_t t1, t2;
  pthread_create(&t1, NULL, relock_once, "checker-1");
  pthread_create(&t2, NULL, relock_once, "checker-2");
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_mutex_destroy(&checked);
  printf("relocks refused: %d\n", relock_refusals);
  return relock_refusals == 2 ? 0 : 1;
}
