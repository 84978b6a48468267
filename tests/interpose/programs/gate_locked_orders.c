// expect: clean
// Two threads run concurrently, one locking A then B and the other B then A, but every such
// nested acquisition happens while holding the common gate lock G, so the orders never conflict.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

enum { kRounds = 20000 };

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static long total_a, total_b;

static void *a_then_b(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "gate-ab");
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&gate);
    pthread_mutex_lock(&lock_a);
    pthread_mutex_lock(&lock_b);
    ++total_a;
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&gate);
  }
  return NULL;
}

static void *b_then_a(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "gate-ba");
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&gate);
    pthread_mutex_lock(&lock_b);
    pthread_mutex_lock(&lock_a);
    ++total_b;
    pthread_mutex_unlock(&lock_a);
    pthread_mutex_unlock(&lock_b);
    pthread_mutex_unlock(&gate);
  }
  return NULL;
}

int main(void) {
  pthread_t t1, t2;
  pthread_create(&t1, NULL, a_then_b, NULL);
  pthread_create(&t2, NULL, b_then_a, NULL);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("totals: %ld %ld\n", total_a, total_b);
  return total_a == kRounds && total_b == kRounds ? 0 : 1;
}
