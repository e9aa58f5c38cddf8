// Crs and Transformer over PROJ.

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "geom/crs.hpp"
#include "geom/detail/geos_context.hpp"
#include "geom/detail/proj_context.hpp"

namespace parksim::geom {
namespace detail {

struct CrsBuilder {
  // Turns a PROJ object into our plain Crs, or throws if it is not a CRS.
  static Crs build(PJ* pj, std::string definition, const Context& where) {
    PJ_CONTEXT* ctx = proj();
    if (proj_is_crs(pj) == 0) {
      throw Error(ErrorCode::crs, fmt::format("'{}' is not a coordinate reference system", definition), where);
    }
    Crs crs;
    crs.m_definition = std::move(definition);
    if (const char* name = proj_get_name(pj)) crs.m_name = name;
    if (const char* wkt = proj_as_wkt(ctx, pj, PJ_WKT2_2019, nullptr)) crs.m_wkt = wkt;
    if (const char* text = proj_as_proj_string(ctx, pj, PJ_PROJ_4, nullptr)) crs.m_proj_string = text;

    // A BoundCRS (WKT1 with TOWGS84) is classified and identified by the CRS it wraps.
    PjPtr source;
    const PJ* classified = pj;
    if (proj_get_type(pj) == PJ_TYPE_BOUND_CRS) {
      source.reset(proj_get_source_crs(ctx, pj));
      if (source) classified = source.get();
    }
    switch (proj_get_type(classified)) {
      case PJ_TYPE_PROJECTED_CRS: crs.m_kind = CrsKind::projected; break;
      case PJ_TYPE_GEOGRAPHIC_2D_CRS:
      case PJ_TYPE_GEOGRAPHIC_3D_CRS: crs.m_kind = CrsKind::geographic; break;
      default: crs.m_kind = CrsKind::other; break;
    }
    crs.m_epsg = epsg_of(classified);
    double west = 0.0, south = 0.0, east = 0.0, north = 0.0;
    const char* area_name = nullptr;
    if (proj_get_area_of_use(ctx, classified, &west, &south, &east, &north, &area_name) != 0 && west > -1000.0) {
      crs.m_area_of_use = Envelope{west, south, east, north};
      if (area_name != nullptr) crs.m_area_name = area_name;
    }
    return crs;
  }

  static std::optional<int> epsg_code(const PJ* pj) {
    const char* auth = proj_get_id_auth_name(pj, 0);
    const char* code = proj_get_id_code(pj, 0);
    if (auth == nullptr || code == nullptr || std::strcmp(auth, "EPSG") != 0) return std::nullopt;
    char* end = nullptr;
    const long value = std::strtol(code, &end, 10);
    if (end == code || *end != '\0') return std::nullopt;
    return static_cast<int>(value);
  }

  static std::optional<int> epsg_of(const PJ* pj) {
    if (auto code = epsg_code(pj)) return code;
    // No ID in the definition (typical for WKT1 from a .prj): accept PROJ's identification only when it
    // is certain.
    int* confidence = nullptr;
    PJ_OBJ_LIST* candidates = proj_identify(proj(), pj, "EPSG", nullptr, &confidence);
    std::optional<int> found;
    if (candidates != nullptr) {
      const int n = proj_list_get_count(candidates);
      for (int i = 0; i < n && !found; ++i) {
        if (confidence[i] != 100) continue;
        PjPtr candidate(proj_list_get(proj(), candidates, i));
        if (candidate) found = epsg_code(candidate.get());
      }
      proj_list_destroy(candidates);
    }
    proj_int_list_destroy(confidence);
    return found;
  }
};

// Shared by the copies of one Transformer. Its id keys the per-thread operation caches.
struct TransformerState {
  Crs source;
  Crs target;
  std::uint64_t id = register_transformer();

  TransformerState(Crs s, Crs t) : source(std::move(s)), target(std::move(t)) {}
  TransformerState(const TransformerState&) = delete;
  TransformerState& operator=(const TransformerState&) = delete;
  ~TransformerState() {
    unregister_transformer(id);
    drop_operation(id);
  }
};

}  // namespace detail

using detail::PjPtr;
using detail::proj;

namespace {

// WKT is long; messages name a CRS by its definition when short, else by its name.
std::string display(const Crs& crs) {
  return crs.definition().size() <= 40 ? crs.definition() : crs.name();
}

std::string direction(const detail::TransformerState& s) {
  return fmt::format("transform from '{}' to '{}'", display(s.source), display(s.target));
}

PjPtr create_crs_object(const Crs& crs) {
  detail::clear_proj_error();
  PjPtr pj(proj_create(proj(), crs.to_wkt().c_str()));
  if (!pj) {
    throw Error(ErrorCode::crs, fmt::format("create '{}': {}", display(crs), detail::proj_error_text()));
  }
  return pj;
}

// This thread's normalised operation for the transformer, created on first use.
PJ* operation_for(const detail::TransformerState& state) {
  if (PJ* cached = detail::cached_operation(state.id)) return cached;
  const PjPtr source = create_crs_object(state.source);
  const PjPtr target = create_crs_object(state.target);
  detail::clear_proj_error();
  PjPtr operation(proj_create_crs_to_crs_from_pj(proj(), source.get(), target.get(), nullptr, nullptr));
  if (!operation) throw Error(ErrorCode::crs, fmt::format("{}: {}", direction(state), detail::proj_error_text()));
  // Always easting/longitude first, whatever the CRS axis order (see crs.hpp).
  PjPtr normalised(proj_normalize_for_visualization(proj(), operation.get()));
  if (!normalised) throw Error(ErrorCode::crs, fmt::format("{}: {}", direction(state), detail::proj_error_text()));
  return detail::cache_operation(state.id, std::move(normalised));
}

// One point through an operation; false (and the PROJ error code) when it cannot be transformed.
bool transform_point(PJ* op, double& x, double& y, int& error_code) {
  proj_errno_reset(op);
  const PJ_COORD out = proj_trans(op, PJ_FWD, proj_coord(x, y, 0.0, 0.0));
  if (!std::isfinite(out.xy.x) || !std::isfinite(out.xy.y) || out.xy.x == HUGE_VAL) {
    error_code = proj_errno(op);
    return false;
  }
  x = out.xy.x;
  y = out.xy.y;
  return true;
}

[[noreturn]] void throw_point_error(const detail::TransformerState& state, Coordinate at, int error_code) {
  Context where;
  where.coordinate = at;
  throw Error(ErrorCode::crs,
              fmt::format("{}: point ({}, {}): {}", direction(state), at.x, at.y, detail::proj_error_text(error_code)),
              where);
}

}  // namespace

// ---- Crs ----

Crs Crs::from_user_input(std::string_view text, const Context& where) {
  const std::string definition(text);
  detail::clear_proj_error();
  PjPtr pj(proj_create(proj(), definition.c_str()));
  if (!pj) {
    throw Error(ErrorCode::crs, fmt::format("CRS '{}': {}", definition, detail::proj_error_text()), where);
  }
  return detail::CrsBuilder::build(pj.get(), definition, where);
}

Crs Crs::from_wkt(std::string_view wkt, const Context& where) {
  const std::string definition(wkt);
  detail::clear_proj_error();
  PROJ_STRING_LIST warnings = nullptr;
  PROJ_STRING_LIST errors = nullptr;
  PjPtr pj(proj_create_from_wkt(proj(), definition.c_str(), nullptr, &warnings, &errors));
  std::string messages;
  for (PROJ_STRING_LIST p = errors; p != nullptr && *p != nullptr; ++p) {
    messages += fmt::format("{}{}", messages.empty() ? "" : "; ", *p);
  }
  proj_string_list_destroy(warnings);
  proj_string_list_destroy(errors);
  const std::string shown = definition.size() <= 40 ? definition : definition.substr(0, 40) + "...";
  if (!pj) {
    throw Error(ErrorCode::crs,
                fmt::format("CRS WKT '{}': {}", shown, messages.empty() ? detail::proj_error_text() : messages), where);
  }
  return detail::CrsBuilder::build(pj.get(), definition, where);
}

Crs Crs::from_epsg(int code) { return from_user_input(fmt::format("EPSG:{}", code)); }

bool Crs::is_equivalent_to(const Crs& other) const {
  if (m_epsg && other.m_epsg && *m_epsg == *other.m_epsg) return true;
  const PjPtr a = create_crs_object(*this);
  const PjPtr b = create_crs_object(other);
  return proj_is_equivalent_to_with_ctx(proj(), a.get(), b.get(), PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) == 1;
}

std::optional<Envelope> area_of_use_bounds(const Crs& crs, double margin_deg) {
  const auto& area = crs.area_of_use_deg();
  if (!area || area->min_x > area->max_x) return std::nullopt;
  const double west = std::max(-180.0, area->min_x - margin_deg);
  const double east = std::min(180.0, area->max_x + margin_deg);
  const double south = std::max(-90.0, area->min_y - margin_deg);
  const double north = std::min(90.0, area->max_y + margin_deg);
  if (crs.is_geographic()) return Envelope{west, south, east, north};
  const detail::TransformerState to_crs(Crs::from_epsg(4326), crs);
  PJ* op = operation_for(to_crs);
  Envelope out;
  detail::clear_proj_error();
  if (proj_trans_bounds(proj(), op, PJ_FWD, west, south, east, north, &out.min_x, &out.min_y, &out.max_x,
                        &out.max_y, 21) == 0) {
    throw Error(ErrorCode::crs, fmt::format("area of use of '{}': {}", display(crs), detail::proj_error_text()));
  }
  return out;
}

// ---- Transformer ----

Transformer::Transformer(const Crs& source, const Crs& target)
    : m_state(std::make_shared<const detail::TransformerState>(source, target)) {
  operation_for(*m_state);  // fail here, not at the first point
}

const Crs& Transformer::source() const noexcept { return m_state->source; }
const Crs& Transformer::target() const noexcept { return m_state->target; }

Transformer Transformer::inverse() const { return Transformer(m_state->target, m_state->source); }

Coordinate Transformer::transform(double x, double y) const {
  PJ* op = operation_for(*m_state);
  Coordinate c{x, y};
  int error_code = 0;
  detail::clear_proj_error();
  if (!transform_point(op, c.x, c.y, error_code)) throw_point_error(*m_state, Coordinate{x, y}, error_code);
  return c;
}

void Transformer::transform(std::span<Coordinate> points) const {
  PJ* op = operation_for(*m_state);
  detail::clear_proj_error();
  for (Coordinate& c : points) {
    const Coordinate before = c;
    int error_code = 0;
    if (!transform_point(op, c.x, c.y, error_code)) throw_point_error(*m_state, before, error_code);
  }
}

namespace {
struct GeometryTransform {
  PJ* op = nullptr;
  bool failed = false;
  Coordinate at;
  int error_code = 0;
};

int transform_vertex(double* x, double* y, void* userdata) noexcept {
  // Called from inside GEOS: never throws; a failure is recorded and reported after GEOS returns.
  auto* t = static_cast<GeometryTransform*>(userdata);
  const Coordinate before{*x, *y};
  if (transform_point(t->op, *x, *y, t->error_code)) return 1;
  t->failed = true;
  t->at = before;
  return 0;
}
}  // namespace

Geometry Transformer::transform(const Geometry& geometry) const {
  GeometryTransform t;
  t.op = operation_for(*m_state);
  detail::clear_proj_error();
  GEOSGeometry* out = GEOSGeom_transformXY_r(detail::geos(), detail::raw(geometry), &transform_vertex, &t);
  if (t.failed) {
    if (out != nullptr) GEOSGeom_destroy_r(detail::geos(), out);
    throw_point_error(*m_state, t.at, t.error_code);
  }
  return detail::adopt(detail::check(out, "transform geometry"));
}

}  // namespace parksim::geom
