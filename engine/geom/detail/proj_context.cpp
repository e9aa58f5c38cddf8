#include "geom/detail/proj_context.hpp"

#include <map>
#include <mutex>
#include <set>

namespace parksim::geom::detail {
namespace {

// Set at thread exit, after the thread's operations and context are gone (trivially destructible, so it
// can be read during the rest of the thread's teardown).
thread_local bool t_proj_finished = false;

// A PJ_CONTEXT is not thread-safe and every PJ belongs to one context, so each thread gets its own
// context and its own copies of the transformation operations. The operations are destroyed before the
// context, when the thread ends.
struct ProjThread {
  PJ_CONTEXT* context = nullptr;
  std::string last_error;
  std::map<std::uint64_t, PjPtr> operations;

  ProjThread() : context(proj_context_create()) {
    proj_log_func(context, this, &ProjThread::on_log);
    // No grid downloads: results must not depend on the network.
    proj_context_set_enable_network(context, 0);
  }
  ~ProjThread() {
    operations.clear();
    proj_context_destroy(context);
    t_proj_finished = true;
  }
  ProjThread(const ProjThread&) = delete;
  ProjThread& operator=(const ProjThread&) = delete;

  // Called from inside PROJ: must not throw.
  static void on_log(void* self, int level, const char* message) noexcept {
    if (level != PJ_LOG_ERROR || message == nullptr) return;
    try {
      static_cast<ProjThread*>(self)->last_error = message;
    } catch (...) {
    }
  }
};

ProjThread& proj_thread() {
  thread_local ProjThread state;
  return state;
}

std::mutex g_live_mutex;
std::set<std::uint64_t> g_live;  // ids of transformers that still exist
std::uint64_t g_next_id = 1;

// Above this many cached operations, a thread drops those of transformers that no longer exist.
constexpr std::size_t prune_threshold = 32;

}  // namespace

PJ_CONTEXT* proj() { return proj_thread().context; }

void clear_proj_error() {
  proj_thread().last_error.clear();
}

std::string proj_error_text(int error_code) {
  ProjThread& t = proj_thread();
  if (!t.last_error.empty()) return std::move(t.last_error);
  const int code = error_code != 0 ? error_code : proj_context_errno(t.context);
  if (code != 0) {
    const char* text = proj_context_errno_string(t.context, code);
    if (text != nullptr) return text;
  }
  return "PROJ reported a failure without a message";
}

std::uint64_t register_transformer() {
  const std::lock_guard lock(g_live_mutex);
  const std::uint64_t id = g_next_id++;
  g_live.insert(id);
  return id;
}

void unregister_transformer(std::uint64_t id) noexcept {
  const std::lock_guard lock(g_live_mutex);
  g_live.erase(id);
}

PJ* cached_operation(std::uint64_t id) noexcept {
  auto& ops = proj_thread().operations;
  const auto it = ops.find(id);
  return it == ops.end() ? nullptr : it->second.get();
}

PJ* cache_operation(std::uint64_t id, PjPtr operation) {
  auto& ops = proj_thread().operations;
  if (ops.size() >= prune_threshold) {
    const std::lock_guard lock(g_live_mutex);
    std::erase_if(ops, [](const auto& entry) { return !g_live.contains(entry.first); });
  }
  PJ* raw = operation.get();
  ops[id] = std::move(operation);
  return raw;
}

void drop_operation(std::uint64_t id) noexcept {
  if (!t_proj_finished) proj_thread().operations.erase(id);  // else already destroyed with the thread
}

}  // namespace parksim::geom::detail
