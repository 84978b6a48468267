// expect: lock-order-inversion
// "first" locks A then B and finishes; only after it has been joined does "second" lock B then A.
// The runs never overlap, so nothing hangs, but the A->B / B->A order inversion is there.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static int balance_a = 100, balance_b = 100;

static void *move_a_to_b(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "first");
  pthread_mutex_lock(&lock_a);
  pthread_mutex_lock(&lock_b); // EXPECT: lock order
  balance_a -= 10;
  balance_b += 10;
  pthread_mutex_unlock(&lock_b);
  pthread_mutex_unlock(&lock_a);
  return NULL;
}

static void *move_b_to_a(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "second");
  pthread_mutex_lock(&lock_b);
  pthread_mutex_lock(&lock_a); // EXPECT: lock order
  balance_b -= 10;
  balance_a += 10;
  pthread_mutex_unlock(&lock_a);
  pthread_mutex_unlock(&lock_b);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, move_a_to_b, NULL);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, move_b_to_a, NULL);
  pthread_join(t, NULL);
  printf("balances: %d %d\n", balance_a, balance_b);
  return balance_a == 100 && balance_b == 100 ? 0 : 1;
}
