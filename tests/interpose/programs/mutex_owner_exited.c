// expect: deadlock definite
// "updater" locks a mutex and returns early without unlocking it; main joins it, then starts
// "reader", whose lock of that mutex can never succeed; main joins the reader.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t config_mu = PTHREAD_MUTEX_INITIALIZER;
static int config_version;

static void *updater(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "updater");
  pthread_mutex_lock(&config_mu);
  ++config_version;
  if (config_version == 1) return NULL; // early return forgets the unlock
  pthread_mutex_unlock(&config_mu);
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "reader");
  pthread_mutex_lock(&config_mu); // EXPECT: mutex lock by reader
  printf("reader: version %d (unreachable)\n", config_version);
  pthread_mutex_unlock(&config_mu);
  return NULL;
}

int main(void) {
  pthread_t u, r;
  pthread_create(&u, NULL, updater, NULL);
  pthread_join(u, NULL); // the owner of config_mu is gone
  pthread_create(&r, NULL, reader, NULL);
  pthread_join(r, NULL); // EXPECT: thread join
  return 0;
}
