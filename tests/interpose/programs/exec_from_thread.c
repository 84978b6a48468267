// expect: clean
// A thread forks and execs /bin/true (which inherits LD_PRELOAD and runs under the preload too)
// and waits for it, while other threads keep locking a mutex; everything joins and exits 0.
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long counter = 0;

static void *busy(void *arg) {
  (void)arg;
  for (int i = 0; i < 20000; ++i) {
    pthread_mutex_lock(&mu);
    ++counter;
    pthread_mutex_unlock(&mu);
  }
  return NULL;
}

static void *spawner(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; ++i) {
    const pid_t child = fork();
    if (child == 0) {
      execl("/bin/true", "true", (char *)NULL);
      _exit(127);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return (void *)1;
  }
  return NULL;
}

int main(void) {
  pthread_t a, b, s;
  pthread_create(&a, NULL, busy, NULL);
  pthread_create(&b, NULL, busy, NULL);
  pthread_create(&s, NULL, spawner, NULL);
  void *failed = NULL;
  pthread_join(s, &failed);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("counter %ld\n", counter);
  return failed ? 1 : 0;
}
