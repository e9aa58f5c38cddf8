#pragma once
// parksim's one error model (see docs/decisions.md):
//  - broken invariant            -> assert
//  - failed input / environment  -> throw parksim::Error (this header), with a stable ErrorCode and a Context
//  - expected data finding       -> parksim::Problem, collected by a ProblemReporter (problem.hpp)
// The CLI maps ErrorCode to its exit code (exit_code()); Python maps it to an exception class.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace parksim {

/// Stable error codes. Values are part of the CLI contract (they are the process exit codes): never renumber.
enum class ErrorCode : int {
  usage = 2,          ///< the command line is wrong
  config = 3,         ///< a scenario or mapping file is wrong (unknown key, wrong type, out of range)
  input = 4,          ///< an input file or database cannot be opened or read
  data = 5,           ///< input data is unusable (bad geometry that cannot be repaired, missing field, ...)
  crs = 6,            ///< a coordinate reference system is missing, unknown or cannot be transformed
  geometry = 7,       ///< a geometry operation failed (GEOS reported an error)
  output = 8,         ///< an output cannot be written
  output_exists = 9,  ///< the output exists and overwriting was not asked for
  cancelled = 10,     ///< the caller cancelled through the progress callback
  infeasible = 11,    ///< an optimisation problem has no solution
  database = 12,      ///< a database connection or statement failed
  internal = 70,      ///< a bug in parksim (EX_SOFTWARE)
};

/// Short lower-case name of a code ("config", "output_exists"), stable, for messages and Python.
std::string_view to_string(ErrorCode code) noexcept;

/// Process exit code for an ErrorCode (the enum value itself).
constexpr int exit_code(ErrorCode code) noexcept { return static_cast<int>(code); }

/// Planar or geographic coordinate attached to an error or problem, in the CRS of the data it came from.
struct Coordinate {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const Coordinate&, const Coordinate&) = default;
};

/// Where something happened. Every member is optional; fill in what is known.
struct Context {
  std::string path;                   ///< file, directory or connection string
  std::string layer;                  ///< layer or table name
  std::optional<std::int64_t> feature_id;  ///< feature id (FID or the dataset's id field)
  std::string feature_key;            ///< human id of the feature when it has one ("P3-017")
  std::string key;                    ///< configuration key ("demand.growth_rate") or field name
  std::optional<int> line;            ///< 1-based line in a text file
  std::optional<Coordinate> coordinate;

  bool empty() const noexcept;
  /// "file.gpkg: layer parcels: feature 12 (P3-017): key far: line 4: at (x, y)" - only the known parts.
  std::string to_string() const;
  friend bool operator==(const Context&, const Context&) = default;
};

/// The one root of every exception parksim throws on purpose. Thread-safe to copy; immutable.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, Context context = {});

  ErrorCode code() const noexcept { return m_code; }
  const Context& context() const noexcept { return m_context; }
  /// The message without the context prefix.
  const std::string& message() const noexcept { return m_message; }

 private:
  ErrorCode m_code;
  std::string m_message;
  Context m_context;
};

}  // namespace parksim
