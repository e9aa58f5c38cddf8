#include "io/detail/gdal.hpp"
#include "io/versions.hpp"

#include <algorithm>
#include <charconv>
#include <mutex>

#include <fmt/format.h>

namespace parksim::io::detail {

void ensure_gdal_registered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

ErrorScope::ErrorScope() { CPLPushErrorHandlerEx(&ErrorScope::handle, this); }

ErrorScope::~ErrorScope() { CPLPopErrorHandler(); }

void CPL_STDCALL ErrorScope::handle(CPLErr severity, CPLErrorNum number, const char* message) {
  // Called by GDAL from C code: must not throw. A failed allocation loses the message, nothing else.
  auto* self = static_cast<ErrorScope*>(CPLGetErrorHandlerUserData());
  if (self == nullptr) return;
  try {
    std::string text = message != nullptr ? message : "";
    if (text.empty()) text = fmt::format("GDAL error {}", number);
    if (severity == CE_Failure || severity == CE_Fatal) {
      self->m_failures.push_back(std::move(text));
    } else if (severity == CE_Warning) {
      self->m_warnings.push_back(std::move(text));
    }
  } catch (...) {
  }
}

std::string ErrorScope::failure_message() const {
  std::string out;
  for (const auto& failure : m_failures) {
    if (!out.empty()) out += "; ";
    out += failure;
  }
  return out;
}

void ErrorScope::clear() noexcept {
  m_failures.clear();
  m_warnings.clear();
}

void ErrorScope::throw_if_failed(ErrorCode code, const std::string& what, const Context& where) const {
  if (has_failure()) throw Error(code, with_detail(what, failure_message()), where);
}

ThreadConfigScope::ThreadConfigScope(const char* key, const std::string& value) : m_key(key) {
  if (const char* previous = CPLGetThreadLocalConfigOption(key, nullptr)) m_previous = previous;
  CPLSetThreadLocalConfigOption(key, value.c_str());
}

ThreadConfigScope::~ThreadConfigScope() {
  CPLSetThreadLocalConfigOption(m_key.c_str(), m_previous ? m_previous->c_str() : nullptr);
}

std::string with_detail(const std::string& message, const std::string& detail) {
  return detail.empty() ? message : message + ": " + detail;
}

SrsPtr make_srs(const CrsRef& crs, const Context& where) {
  if (crs.empty()) return nullptr;
  SrsPtr srs(OSRNewSpatialReference(nullptr));
  ErrorScope errors;
  OGRErr err = OGRERR_NONE;
  if (crs.epsg) {
    err = OSRImportFromEPSG(srs.get(), *crs.epsg);
  } else {
    err = OSRSetFromUserInput(srs.get(), crs.wkt.c_str());
  }
  if (err != OGRERR_NONE) {
    throw Error(ErrorCode::crs,
                with_detail(crs.epsg ? fmt::format("unknown CRS EPSG:{}", *crs.epsg) : "CRS WKT not understood",
                            errors.failure_message()),
                where);
  }
  OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

CrsRef to_crs_ref(OGRSpatialReferenceH srs) {
  CrsRef out;
  if (srs == nullptr) return out;
  // A GeoPackage stores "no CRS" as srs_id 0 / -1, which GDAL reads back as a CRS named "Undefined geographic SRS"
  // / "Undefined Cartesian SRS" (GeoPackage 1.3 §1.1.2.1.1): that is the absence of a CRS, not a CRS.
  if (const char* name = OSRGetName(srs);
      name != nullptr && (EQUAL(name, "Undefined geographic SRS") || EQUAL(name, "Undefined Cartesian SRS"))) {
    return out;
  }
  ErrorScope errors;  // identification failures are not errors: the CRS is then known by its WKT only
  char* wkt = nullptr;
  const char* const wkt_options[] = {"FORMAT=WKT2_2019", nullptr};
  if (OSRExportToWktEx(srs, &wkt, wkt_options) == OGRERR_NONE && wkt != nullptr) out.wkt = wkt;
  CPLFree(wkt);
  const char* authority = OSRGetAuthorityName(srs, nullptr);
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  if (authority != nullptr && code != nullptr && EQUAL(authority, "EPSG")) {
    out.epsg = std::atoi(code);
  } else {
    // An ESRI .prj carries no authority: accept GDAL's identification only when it is unambiguous (100 %).
    int count = 0;
    int* confidences = nullptr;
    OGRSpatialReferenceH* matches = OSRFindMatches(srs, nullptr, &count, &confidences);
    if (matches != nullptr && count == 1 && confidences[0] == 100) {
      const char* match_authority = OSRGetAuthorityName(matches[0], nullptr);
      const char* match_code = OSRGetAuthorityCode(matches[0], nullptr);
      if (match_authority != nullptr && match_code != nullptr && EQUAL(match_authority, "EPSG")) {
        out.epsg = std::atoi(match_code);
      }
    }
    OSRFreeSRSArray(matches);
    CPLFree(confidences);
  }
  return out;
}

GeometryType from_ogr(OGRwkbGeometryType type) noexcept {
  switch (wkbFlatten(type)) {
    case wkbNone: return GeometryType::none;
    case wkbPoint: return GeometryType::point;
    case wkbLineString: return GeometryType::line_string;
    case wkbPolygon: return GeometryType::polygon;
    case wkbMultiPoint: return GeometryType::multi_point;
    case wkbMultiLineString: return GeometryType::multi_line_string;
    case wkbMultiPolygon: return GeometryType::multi_polygon;
    case wkbGeometryCollection: return GeometryType::geometry_collection;
    default: return GeometryType::unknown;
  }
}

OGRwkbGeometryType to_ogr(GeometryType type) noexcept {
  switch (type) {
    case GeometryType::none: return wkbNone;
    case GeometryType::unknown: return wkbUnknown;
    case GeometryType::point: return wkbPoint;
    case GeometryType::line_string: return wkbLineString;
    case GeometryType::polygon: return wkbPolygon;
    case GeometryType::multi_point: return wkbMultiPoint;
    case GeometryType::multi_line_string: return wkbMultiLineString;
    case GeometryType::multi_polygon: return wkbMultiPolygon;
    case GeometryType::geometry_collection: return wkbGeometryCollection;
  }
  return wkbUnknown;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::array<int, 3>> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::array<int, 3> ymd{};
  const std::string_view parts[3] = {text.substr(0, 4), text.substr(5, 2), text.substr(8, 2)};
  for (int k = 0; k < 3; ++k) {
    if (!is_digits(parts[k])) return std::nullopt;
    std::from_chars(parts[k].data(), parts[k].data() + parts[k].size(), ymd[static_cast<std::size_t>(k)]);
  }
  if (ymd[1] < 1 || ymd[1] > 12 || ymd[2] < 1 || ymd[2] > 31) return std::nullopt;
  return ymd;
}

void set_value(OGRFeatureH feature, int index, const FieldDef& field, const Value& value,
               std::size_t max_string_bytes, const Context& at) {
  auto mismatch = [&](const char* kind) {
    throw Error(ErrorCode::output,
                fmt::format("a {} value cannot go into field of type {}", kind,
                            field.type == FieldType::integer ? "integer"
                            : field.type == FieldType::real  ? "real"
                            : field.type == FieldType::date  ? "date"
                                                             : "string"),
                at);
  };
  if (std::holds_alternative<std::monostate>(value)) {
    OGR_F_SetFieldNull(feature, index);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    if (field.type == FieldType::integer) {
      OGR_F_SetFieldInteger64(feature, index, static_cast<GIntBig>(*i));
    } else if (field.type == FieldType::real) {
      OGR_F_SetFieldDouble(feature, index, static_cast<double>(*i));
    } else {
      mismatch("integer");
    }
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (field.type != FieldType::real) mismatch("real");
    OGR_F_SetFieldDouble(feature, index, *d);
  } else {
    const auto& text = std::get<std::string>(value);
    if (!is_valid_utf8(text)) throw Error(ErrorCode::output, "string is not valid UTF-8", at);
    if (field.type == FieldType::date) {
      const auto ymd = parse_date(text);
      if (!ymd) throw Error(ErrorCode::output, fmt::format("'{}' is not a date YYYY-MM-DD", text), at);
      OGR_F_SetFieldDateTimeEx(feature, index, (*ymd)[0], (*ymd)[1], (*ymd)[2], 0, 0, 0.0f, 0);
    } else if (field.type == FieldType::string) {
      if (max_string_bytes > 0 && text.size() > max_string_bytes) {
        throw Error(ErrorCode::output,
                    fmt::format("string of {} bytes exceeds the DBF limit of {} bytes", text.size(), max_string_bytes),
                    at);
      }
      OGR_F_SetFieldString(feature, index, text.c_str());
    } else {
      mismatch("string");
    }
  }
}

}  // namespace parksim::io::detail

namespace parksim::io {

std::vector<std::pair<std::string, std::string>> library_versions() {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("GDAL", GDALVersionInfo("RELEASE_NAME"));
  // BUILD_INFO is "KEY=value" lines: GEOS_VERSION=3.11.1-CAPI-1.17.1, PROJ_RUNTIME_VERSION=9.1.1, ...
  const std::string info = GDALVersionInfo("BUILD_INFO");
  auto value_of = [&info](const std::string& key) -> std::string {
    const auto at = info.find(key + "=");
    if (at == std::string::npos) return {};
    const auto begin = at + key.size() + 1;
    return info.substr(begin, info.find('\n', begin) - begin);
  };
  std::string geos = value_of("GEOS_VERSION");
  if (const auto capi = geos.find("-CAPI"); capi != std::string::npos) geos.resize(capi);
  if (!geos.empty()) out.emplace_back("GEOS", geos);
  std::string proj = value_of("PROJ_RUNTIME_VERSION");
  if (proj.empty()) proj = value_of("PROJ_BUILD_VERSION");
  if (!proj.empty()) out.emplace_back("PROJ", proj);
  return out;
}

}  // namespace parksim::io
