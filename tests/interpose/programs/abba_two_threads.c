// expect: deadlock definite
// Classic ABBA: "left" locks A then B, "right" locks B then A. A barrier makes sure each holds
// its first lock before reaching for the second, so both block on every run.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_first;

static void *left(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "left");
  pthread_mutex_lock(&lock_a);
  pthread_barrier_wait(&both_hold_first);
  pthread_mutex_lock(&lock_b); // EXPECT: mutex lock by left
  puts("left: got both locks (unreachable)");
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  return NULL;
}

static void *right(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "right");
  pthread_mutex_lock(&lock_b);
  pthread_barrier_wait(&both_hold_first);
  pthread_mutex_lock(&lock_a); // EXPECT: mutex lock by right
  puts("right: got both locks (unreachable)");
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  return NULL;
}

int main(void) {
  pthread_barrier_init(&both_hold_first, NULL, 2);
  pthread_t l, r;
  pthread_create(&l, NULL, left, NULL);
  pthread_create(&r, NULL, right, NULL);
  pthread_join(l, NULL); // EXPECT: thread join
  pthread_join(r, NULL);
  pthread_barrier_destroy(&both_hold_first);
  return 0;
}
