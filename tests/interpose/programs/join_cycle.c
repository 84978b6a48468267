// expect: deadlock definite
// Join cycle: thread "join-a" joins "join-b" while "join-b" joins "join-a". A barrier makes both
// pthread_t globals valid before either joins; main then leaves with pthread_exit.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_t thread_a, thread_b;
static pthread_barrier_t handles_ready;

static void *run_a(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "join-a");
  pthread_barrier_wait(&handles_ready);
  pthread_join(thread_b, NULL); // EXPECT: thread join by join-a
  puts("join-a: b finished (unreachable)");
  return NULL;
}

static void *run_b(void *arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "join-b");
  pthread_barrier_wait(&handles_ready);
  pthread_join(thread_a, NULL); // EXPECT: thread join by join-b
  puts("join-b: a finished (unreachable)");
  return NULL;
}

int main(void) {
  pthread_barrier_init(&handles_ready, NULL, 3);
  pthread_create(&thread_a, NULL, run_a, NULL);
  pthread_create(&thread_b, NULL, run_b, NULL);
  // Both handles are stored before main arrives, so neither thread reads an unset one.
  pthread_barrier_wait(&handles_ready);
  // Main does not join (a thread may have only one joiner): it leaves, the process lives on.
  pthread_exit(NULL);
}
