#include "sync_objects.hpp"

#include "../symbolizer/symbolizer.hpp"

#include <string>

namespace gridlock::interpose {
namespace {

const char *kind_name(object_kind k) {
  switch (k) {
  case object_kind::mutex: return "mutex";
  case object_kind::rwlock: return "rwlock";
  case object_kind::condition: return "condition variable";
  case object_kind::semaphore: return "semaphore";
  case object_kind::barrier: return "barrier";
  }
  return "resource";
}

bool notified(object_kind k) { return k == object_kind::condition || k == object_kind::semaphore; }

} // namespace

sync_objects &sync_objects::get() {
  static sync_objects *objects = new sync_objects; // never destroyed: threads outlive statics
  return *objects;
}

sync_objects::object *sync_objects::lookup(const void *addr, object_kind kind,
                                           const int *owner_tid) {
  if (auto it = objects_.find(addr); it != objects_.end()) {
    if (it->second.kind == kind) return &it->second;
    gl_resource_destroy(it->second.id); // memory reused for another kind of object
    objects_.erase(it);
  }
  if (objects_.size() >= kMaxObjects) return nullptr;
  object &o = objects_[addr];
  o.kind = kind;
  o.id = gl_resource_create(kind_name(kind), symbolizer::object_name(addr, kind_name(kind)).c_str(),
                            -1);
  if (owner_tid) gl_owner_watch_tid(o.id, owner_tid);
  if (notified(kind)) o.notified = std::make_unique<detail::notifiers>(o.id);
  return &o;
}

gl_resource_id sync_objects::resource(const void *addr, object_kind kind, const int *owner_tid) {
  std::lock_guard lk(mu_);
  const object *o = lookup(addr, kind, owner_tid);
  return o ? o->id : 0;
}

detail::notifiers *sync_objects::notifiers_of(const void *addr, object_kind kind) {
  std::lock_guard lk(mu_);
  object *o = lookup(addr, kind, nullptr);
  return o ? o->notified.get() : nullptr;
}

gl_resource_id sync_objects::find(const void *addr) {
  std::lock_guard lk(mu_);
  auto it = objects_.find(addr);
  return it == objects_.end() ? 0 : it->second.id;
}

void sync_objects::forget(const void *addr) {
  std::lock_guard lk(mu_);
  auto it = objects_.find(addr);
  if (it == objects_.end()) return;
  gl_resource_destroy(it->second.id);
  objects_.erase(it);
}

} // namespace gridlock::interpose
