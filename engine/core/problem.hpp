#pragma once
// Expected findings in data (a repaired ring, an overlap, unmet demand): recorded, shown in reports,
// never thrown. See error.hpp for the error model.

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace parksim {

enum class Severity { info, warning, error };

std::string_view to_string(Severity severity) noexcept;

/// One finding. `code` is a stable dotted identifier ("geometry.repaired", "parcels.overlap",
/// "demand.unmet") that reports and tests rely on; `message` is for people.
struct Problem {
  Severity severity = Severity::warning;
  std::string code;
  std::string message;
  Context where;

  /// "warning [parcels.overlap] parcels.gpkg: layer 'parcels': feature 3: overlaps feature 4 by 12.5 m2"
  std::string to_string() const;
  friend bool operator==(const Problem&, const Problem&) = default;
};

/// Collects Problems. Thread-safe: report() may be called from several threads at once. Because the
/// arrival order then depends on scheduling, sorted() gives a deterministic order for outputs.
class ProblemReporter {
 public:
  ProblemReporter() = default;
  ProblemReporter(const ProblemReporter&) = delete;
  ProblemReporter& operator=(const ProblemReporter&) = delete;

  void report(Problem problem);
  void report(Severity severity, std::string code, std::string message, Context where = {});

  /// Copy of everything reported, in arrival order.
  std::vector<Problem> problems() const;
  /// Copy ordered by (severity desc, path, layer, feature id, code, message): stable across runs.
  std::vector<Problem> sorted() const;
  std::size_t count(Severity severity) const;
  std::size_t count(std::string_view code) const;
  bool has_errors() const { return count(Severity::error) > 0; }
  std::size_t size() const;
  void clear();
  /// Moves another reporter's problems into this one, in their order.
  void merge(ProblemReporter& other);

 private:
  mutable std::mutex m_mutex;
  std::vector<Problem> m_problems;
};

}  // namespace parksim
