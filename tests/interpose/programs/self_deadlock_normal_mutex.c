// expect: deadlock definite
// Self-deadlock: "recorder" locks a default (normal) mutex and, still holding it, calls a helper
// that locks the same mutex again.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int entries;

static void append_entry(int value) {
  pthread_mutex_lock(&log_mu); // EXPECT: mutex lock by recorder
  entries += value;
  pthread_mutex_unlock(&log_mu);
}

static void *recorder(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "recorder");
  append_entry(1); // fine: log_mu is not held yet
  pthread_mutex_lock(&log_mu);
  if (entries > 0) append_entry(2); // locks log_mu a second time
  pthread_mutex_unlock(&log_mu);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, recorder, NULL);
  pthread_join(t, NULL); // EXPECT: thread join
  printf("entries: %d (unreachable)\n", entries);
  return 0;
}
