#include "core/progress.hpp"

#include <algorithm>
#include <cassert>

#include "core/error.hpp"

namespace parksim {

Progress::Progress() : m_shared(std::make_shared<Shared>()) {}

Progress::Progress(Callback callback) : m_shared(std::make_shared<Shared>()) {
  m_shared->callback = std::move(callback);
}

Progress::Progress(std::shared_ptr<Shared> shared, double begin, double end)
    : m_shared(std::move(shared)), m_begin(begin), m_end(end) {}

bool Progress::report(double fraction, std::string_view message) const {
  if (m_shared->cancelled.load(std::memory_order_relaxed)) return false;
  if (!m_shared->callback) return true;
  const double f = m_begin + (m_end - m_begin) * std::clamp(fraction, 0.0, 1.0);
  std::lock_guard lock(m_shared->mutex);
  // Never report backwards: parallel workers may finish out of order.
  m_shared->last = std::max(m_shared->last, f);
  bool go_on = false;
  try {
    go_on = m_shared->callback(m_shared->last, message);
  } catch (...) {
    // A throwing callback cancels the run instead of unwinding through engine internals.
    go_on = false;
  }
  if (!go_on) m_shared->cancelled.store(true, std::memory_order_relaxed);
  return go_on;
}

void Progress::check(double fraction, std::string_view message) const {
  if (!report(fraction, message)) throw Error(ErrorCode::cancelled, "cancelled by the caller");
}

void Progress::throw_if_cancelled() const {
  if (cancelled()) throw Error(ErrorCode::cancelled, "cancelled by the caller");
}

Progress Progress::sub(double begin, double end) const {
  assert(0.0 <= begin && begin <= end && end <= 1.0);
  const double span = m_end - m_begin;
  return Progress(m_shared, m_begin + span * begin, m_begin + span * end);
}

bool Progress::cancelled() const noexcept { return m_shared->cancelled.load(std::memory_order_relaxed); }

void Progress::cancel() noexcept { m_shared->cancelled.store(true, std::memory_order_relaxed); }

}  // namespace parksim
