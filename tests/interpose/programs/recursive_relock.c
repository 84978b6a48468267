// expect: clean
// A PTHREAD_MUTEX_RECURSIVE mutex is locked three deep and unlocked again, over and over, by two
// threads at once. Relocking a recursive mutex by its owner is fine.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

enum { kRounds = 1000 };

static pthread_mutex_t nested;
static long depth_sum;

static void *relocker(void *arg) {
  pthread_setname_np(pthread_self(), (const char *)arg);
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&nested);
    pthread_mutex_lock(&nested);
    pthread_mutex_lock(&nested);
    depth_sum += 3;
    pthread_mutex_unlock(&nested);
    pthread_mutex_unlock(&nested);
    pthread_mutex_unlock(&nested);
  }
  return NULL;
}

int main(void) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&nested, &attr);
  pthread_mutexattr_destroy(&attr);

  pthread_t t1, t2;
  pthread_create(&t1, NULL, relocker, "relock-1");
  pthread_create(&t2, NULL, relocker, "relock-2");
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_mutex_destroy(&nested);
  printf("depth sum: %ld\n", depth_sum);
  return depth_sum == 2L * 3 * kRounds ? 0 : 1;
}
