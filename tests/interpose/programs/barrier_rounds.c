// expect: clean
// Four threads step through 100 rounds in lock step with a pthread barrier: each writes its slot,
// the serial thread checks the round's sum, and a second barrier ends the round.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

enum { kThreads = 4, kRounds = 100 };

static pthread_barrier_t round_barrier;
static int slots[kThreads];
static int bad_rounds;

static void *stepper(void *arg) {
  const int index = (int)(intptr_t)arg;
  char name[16];
  snprintf(name, sizeof name, "stepper-%d", index);
  pthread_setname_np(pthread_self(), name);
  for (int round = 0; round < kRounds; ++round) {
    slots[index] = round;
    if (pthread_barrier_wait(&round_barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
      int sum = 0;
      for (int i = 0; i < kThreads; ++i) sum += slots[i];
      if (sum != kThreads * round) ++bad_rounds;
    }
    pthread_barrier_wait(&round_barrier); // nobody writes the next round before the check
  }
  return NULL;
}

int main(void) {
  pthread_barrier_init(&round_barrier, NULL, kThreads);
  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; ++i)
    pthread_create(&threads[i], NULL, stepper, (void *)(intptr_t)i);
  for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&round_barrier);
  printf("bad rounds: %d\n", bad_rounds);
  return bad_rounds == 0 ? 0 : 1;
}
