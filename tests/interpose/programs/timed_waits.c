// expect: clean
// Timed waits that time out: pthread_mutex_timedlock while "holder" holds the mutex, sem_timedwait
// on an empty semaphore, pthread_cond_timedwait nobody signals; then all is released and joined.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cond_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never_signalled = PTHREAD_COND_INITIALIZER;
static sem_t locked, release, empty;

static struct timespec deadline_in_ms(long ms) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  t.tv_nsec += ms * 1000000L;
  t.tv_sec += t.tv_nsec / 1000000000L;
  t.tv_nsec %= 1000000000L;
  return t;
}

static void *holder(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "holder");
  pthread_mutex_lock(&held);
  sem_post(&locked);
  while (sem_wait(&release) != 0) continue; // holds `held` until main is done timing out
  pthread_mutex_unlock(&held);
  return NULL;
}

int main(void) {
  sem_init(&locked, 0, 0);
  sem_init(&release, 0, 0);
  sem_init(&empty, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  while (sem_wait(&locked) != 0) continue;

  struct timespec deadline = deadline_in_ms(50);
  int lock_rc = pthread_mutex_timedlock(&held, &deadline);

  deadline = deadline_in_ms(50);
  int sem_rc = sem_timedwait(&empty, &deadline);
  int sem_errno = errno;

  pthread_mutex_lock(&cond_mu);
  deadline = deadline_in_ms(50);
  int cond_rc = 0;
  while (cond_rc == 0) cond_rc = pthread_cond_timedwait(&never_signalled, &cond_mu, &deadline);
  pthread_mutex_unlock(&cond_mu);

  sem_post(&release);
  pthread_join(t, NULL);
  printf("timedlock: %d, sem_timedwait: %d/%d, cond_timedwait: %d\n", lock_rc, sem_rc, sem_errno,
         cond_rc);
  return lock_rc == ETIMEDOUT && sem_rc == -1 && sem_errno == ETIMEDOUT && cond_rc == ETIMEDOUT ? 0
                                                                                                : 1;
}
