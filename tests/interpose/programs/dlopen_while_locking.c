// expect: clean
// Threads lock and unlock mutexes while another thread dlopens the math library, calls into it
// and closes it again (modules appear and disappear under the symbolizer); exits 0.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *nested(void *arg) {
  (void)arg;
  for (int i = 0; i < 20000; ++i) { // always a, then b: one order, nothing to predict
    pthread_mutex_lock(&a);
    pthread_mutex_lock(&b);
    pthread_mutex_unlock(&b);
    pthread_mutex_unlock(&a);
  }
  return NULL;
}

static void *loader(void *arg) {
  (void)arg;
  for (int i = 0; i < 20; ++i) {
    void *m = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
    if (!m) return (void *)1;
    double (*cosine)(double) = (double (*)(double))dlsym(m, "cos");
    if (!cosine || cosine(0.0) != 1.0) return (void *)1;
    dlclose(m);
  }
  return NULL;
}

int main(void) {
  pthread_t x, y, l;
  pthread_create(&x, NULL, nested, NULL);
  pthread_create(&y, NULL, nested, NULL);
  pthread_create(&l, NULL, loader, NULL);
  void *failed = NULL;
  pthread_join(l, &failed);
  pthread_join(x, NULL);
  pthread_join(y, NULL);
  puts(failed ? "dlopen failed" : "done");
  return failed ? 1 : 0;
}
