// expect: clean
// "quitter" calls exit(0) while main is blocked in pthread_join on "sleeper", which waits on a
// condition variable nobody signals. The process ends with status 0 from the secondary thread.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t asleep = PTHREAD_COND_INITIALIZER;
static pthread_cond_t wake_up = PTHREAD_COND_INITIALIZER;
static int sleeping, woken;

static void *sleeper(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "sleeper");
  pthread_mutex_lock(&mu);
  sleeping = 1;
  pthread_cond_signal(&asleep);
  while (!woken) pthread_cond_wait(&wake_up, &mu); // never signalled: exit() ends it
  pthread_mutex_unlock(&mu);
  return NULL;
}

static void *quitter(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "quitter");
  pthread_mutex_lock(&mu);
  while (!sleeping) pthread_cond_wait(&asleep, &mu);
  pthread_mutex_unlock(&mu); // the sleeper is now inside pthread_cond_wait
  // Give main a moment to reach pthread_join (exit(0) is correct either way).
  struct timespec pause = {0, 20 * 1000 * 1000};
  nanosleep(&pause, NULL);
  puts("quitter: exit(0)");
  exit(0);
}

int main(void) {
  pthread_t s, q;
  pthread_create(&s, NULL, sleeper, NULL);
  pthread_create(&q, NULL, quitter, NULL);
  pthread_join(s, NULL);
  puts("main: sleeper returned (unreachable)");
  return 1;
}
