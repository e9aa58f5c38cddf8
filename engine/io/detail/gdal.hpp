#pragma once
// The small GDAL wrapper io is built on: RAII handles, a per-thread error capture, thread-local config
// options, CRS and geometry-type conversions. Only io's own .cpp files include this header.

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "io/vector.hpp"

namespace parksim::io::detail {

/// GDALAllRegister() exactly once per process (std::call_once).
void ensure_gdal_registered();

struct DatasetCloser {
  void operator()(GDALDatasetH h) const noexcept { GDALClose(h); }
};
struct FeatureDestroyer {
  void operator()(OGRFeatureH h) const noexcept { OGR_F_Destroy(h); }
};
struct GeometryDestroyer {
  void operator()(OGRGeometryH h) const noexcept { OGR_G_DestroyGeometry(h); }
};
struct FieldDefnDestroyer {
  void operator()(OGRFieldDefnH h) const noexcept { OGR_Fld_Destroy(h); }
};
struct SrsReleaser {
  void operator()(OGRSpatialReferenceH h) const noexcept { OSRRelease(h); }
};
struct TransformDestroyer {
  void operator()(OGRCoordinateTransformationH h) const noexcept { OCTDestroyCoordinateTransformation(h); }
};
struct StringListDestroyer {
  void operator()(char** list) const noexcept { CSLDestroy(list); }
};

using DatasetPtr = std::unique_ptr<std::remove_pointer_t<GDALDatasetH>, DatasetCloser>;
using FeaturePtr = std::unique_ptr<std::remove_pointer_t<OGRFeatureH>, FeatureDestroyer>;
using GeometryPtr = std::unique_ptr<std::remove_pointer_t<OGRGeometryH>, GeometryDestroyer>;
using FieldDefnPtr = std::unique_ptr<std::remove_pointer_t<OGRFieldDefnH>, FieldDefnDestroyer>;
using SrsPtr = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsReleaser>;
using TransformPtr = std::unique_ptr<std::remove_pointer_t<OGRCoordinateTransformationH>, TransformDestroyer>;

/// A NULL-terminated GDAL string list (open/creation options) owned by RAII.
class StringList {
 public:
  StringList() = default;
  void set(const char* key, const std::string& value) { m_list.reset(CSLSetNameValue(m_list.release(), key, value.c_str())); }
  char** get() const noexcept { return m_list.get(); }

 private:
  std::unique_ptr<char*, StringListDestroyer> m_list;
};

/// Captures every CPLError raised on THIS thread while alive (CPLPushErrorHandlerEx is per thread), so
/// messages never leak to stderr or to another thread. Nestable. Never throws from the handler.
class ErrorScope {
 public:
  ErrorScope();
  ~ErrorScope();
  ErrorScope(const ErrorScope&) = delete;
  ErrorScope& operator=(const ErrorScope&) = delete;

  /// True when a CE_Failure or CE_Fatal was captured since construction or the last clear().
  bool has_failure() const noexcept { return !m_failures.empty(); }
  /// The failure messages joined with "; " (empty when none).
  std::string failure_message() const;
  /// All captured messages (warnings too), for diagnostics.
  const std::vector<std::string>& warnings() const noexcept { return m_warnings; }
  void clear() noexcept;
  /// Throws Error(code, what + ": " + failure_message(), where) if has_failure().
  void throw_if_failed(ErrorCode code, const std::string& what, const Context& where) const;

 private:
  static void CPL_STDCALL handle(CPLErr severity, CPLErrorNum number, const char* message);
  std::vector<std::string> m_failures;
  std::vector<std::string> m_warnings;
};

/// Sets a GDAL config option for THIS thread only (CPLSetThreadLocalConfigOption) and restores the
/// previous thread-local value on destruction. GDAL's CPLGetConfigOption looks at thread-local options
/// first, so drivers running on this thread see the value; other threads never do.
class ThreadConfigScope {
 public:
  ThreadConfigScope(const char* key, const std::string& value);
  ~ThreadConfigScope();
  ThreadConfigScope(const ThreadConfigScope&) = delete;
  ThreadConfigScope& operator=(const ThreadConfigScope&) = delete;

 private:
  std::string m_key;
  std::optional<std::string> m_previous;
};

/// "message" + ": " + detail, or just message when detail is empty.
std::string with_detail(const std::string& message, const std::string& detail);

/// CrsRef -> SRS with OAMS_TRADITIONAL_GIS_ORDER; nullptr for an empty CrsRef. Throws Error(crs).
SrsPtr make_srs(const CrsRef& crs, const Context& where);
/// SRS -> CrsRef (WKT2_2019 + EPSG code when identified); empty for nullptr.
CrsRef to_crs_ref(OGRSpatialReferenceH srs);

GeometryType from_ogr(OGRwkbGeometryType type) noexcept;
OGRwkbGeometryType to_ogr(GeometryType type) noexcept;

/// True when `s` is non-empty and all ASCII digits.
bool is_digits(std::string_view s);
/// (year, month, day) of "YYYY-MM-DD" (month 1-12, day 1-31), or nullopt.
std::optional<std::array<int, 3>> parse_date(std::string_view text);

/// Sets field `index` of `feature` to `value`, checked against the field's type (Error(output) naming `at`):
/// null -> null; integer -> integer or real field; real -> real field; text -> string field (valid UTF-8, at most
/// `max_string_bytes` bytes when that is > 0, the DBF limit) or date field (YYYY-MM-DD).
void set_value(OGRFeatureH feature, int index, const FieldDef& field, const Value& value, std::size_t max_string_bytes,
               const Context& at);

}  // namespace parksim::io::detail
