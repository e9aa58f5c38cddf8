#include "core/problem.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace parksim {

std::string_view to_string(Severity severity) noexcept {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::string Problem::to_string() const {
  std::string out = fmt::format("{} [{}] ", parksim::to_string(severity), code);
  if (!where.empty()) out += where.to_string() + ": ";
  out += message;
  return out;
}

void ProblemReporter::report(Problem problem) {
  std::lock_guard lock(m_mutex);
  m_problems.push_back(std::move(problem));
}

void ProblemReporter::report(Severity severity, std::string code, std::string message, Context where) {
  report(Problem{severity, std::move(code), std::move(message), std::move(where)});
}

std::vector<Problem> ProblemReporter::problems() const {
  std::lock_guard lock(m_mutex);
  return m_problems;
}

std::vector<Problem> ProblemReporter::sorted() const {
  auto out = problems();
  auto key = [](const Problem& p) {
    return std::make_tuple(-static_cast<int>(p.severity), std::cref(p.where.path), std::cref(p.where.layer),
                           p.where.feature_id.value_or(-1), std::cref(p.code), std::cref(p.message));
  };
  std::stable_sort(out.begin(), out.end(), [&](const Problem& a, const Problem& b) { return key(a) < key(b); });
  return out;
}

std::size_t ProblemReporter::count(Severity severity) const {
  std::lock_guard lock(m_mutex);
  return static_cast<std::size_t>(
      std::count_if(m_problems.begin(), m_problems.end(), [&](const Problem& p) { return p.severity == severity; }));
}

std::size_t ProblemReporter::count(std::string_view code) const {
  std::lock_guard lock(m_mutex);
  return static_cast<std::size_t>(
      std::count_if(m_problems.begin(), m_problems.end(), [&](const Problem& p) { return p.code == code; }));
}

std::size_t ProblemReporter::size() const {
  std::lock_guard lock(m_mutex);
  return m_problems.size();
}

void ProblemReporter::clear() {
  std::lock_guard lock(m_mutex);
  m_problems.clear();
}

void ProblemReporter::merge(ProblemReporter& other) {
  if (&other == this) return;
  std::vector<Problem> moved;
  {
    std::lock_guard lock(other.m_mutex);
    moved.swap(other.m_problems);
  }
  std::lock_guard lock(m_mutex);
  m_problems.insert(m_problems.end(), std::make_move_iterator(moved.begin()), std::make_move_iterator(moved.end()));
}

}  // namespace parksim
