// expect: deadlock definite
// A barrier sized for three parties, but only two threads ever arrive at it; main joins them.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t start_line;

static void *runner(void *arg) {
  const char *name = arg;
  pthread_setname_np(pthread_self(), name);
  printf("%s: at the start line\n", name);
  pthread_barrier_wait(&start_line); // EXPECT: barrier wait
  printf("%s: running (unreachable)\n", name);
  return NULL;
}

int main(void) {
  pthread_barrier_init(&start_line, NULL, 3); // three parties expected...
  pthread_t first, second;
  pthread_create(&first, NULL, runner, "runner-1");
  pthread_create(&second, NULL, runner, "runner-2"); // ...but only two arrive
  pthread_join(first, NULL);                         // EXPECT: thread join
  pthread_join(second, NULL);
  pthread_barrier_destroy(&start_line);
  return 0;
}
