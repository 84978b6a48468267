// expect: deadlock definite
// A "waiter" thread sem_wait()s for a configuration that main forgets to announce: nobody ever
// posts the semaphore, and main joins the waiter.
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t config_loaded;
static int config_value;

static void *waiter(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "waiter");
  sem_wait(&config_loaded); // EXPECT: semaphore acquire by waiter
  printf("waiter: config is %d (unreachable)\n", config_value);
  return NULL;
}

int main(void) {
  sem_init(&config_loaded, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  config_value = 42;     // ...and no sem_post(&config_loaded)
  pthread_join(t, NULL); // EXPECT: thread join
  sem_destroy(&config_loaded);
  return 0;
}
