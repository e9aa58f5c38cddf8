// PreparedGeometry and StrTree over GEOS.

#include <algorithm>
#include <cstdint>
#include <new>

#include "geom/detail/geos_context.hpp"
#include "geom/index.hpp"

namespace parksim::geom {

using detail::check;
using detail::check_predicate;
using detail::geos;
using detail::raw;

// ---- PreparedGeometry ----

void PreparedGeometry::Deleter::operator()(const GEOSPrepGeom_t* prepared) const noexcept {
  detail::with_cleanup_context([prepared](GEOSContextHandle_t h) { GEOSPreparedGeom_destroy_r(h, prepared); });
}

PreparedGeometry::PreparedGeometry(Geometry geometry)
    : m_geometry(std::move(geometry)), m_prepared(check(GEOSPrepare_r(geos(), raw(m_geometry)), "prepare")) {}
PreparedGeometry::PreparedGeometry(PreparedGeometry&&) noexcept = default;
PreparedGeometry& PreparedGeometry::operator=(PreparedGeometry&&) noexcept = default;
PreparedGeometry::~PreparedGeometry() = default;
// m_prepared points into m_geometry's GEOS object, which moves with the Geometry (only the owning pointer
// moves, not the object), so the defaulted moves keep the pair consistent. Declaration order makes the
// prepared geometry die before the geometry it indexes.

bool PreparedGeometry::intersects(const Geometry& other) const {
  return check_predicate(GEOSPreparedIntersects_r(geos(), m_prepared.get(), raw(other)), "prepared intersects");
}
bool PreparedGeometry::contains(const Geometry& other) const {
  return check_predicate(GEOSPreparedContains_r(geos(), m_prepared.get(), raw(other)), "prepared contains");
}
bool PreparedGeometry::covers(const Geometry& other) const {
  return check_predicate(GEOSPreparedCovers_r(geos(), m_prepared.get(), raw(other)), "prepared covers");
}
bool PreparedGeometry::within(const Geometry& other) const {
  return check_predicate(GEOSPreparedWithin_r(geos(), m_prepared.get(), raw(other)), "prepared within");
}

// ---- StrTree ----

namespace {

// Item ids are stored as id + 1 in GEOS's void* slot, so no item is a null pointer.
void* to_item(std::size_t id) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(id) + 1u); }
std::size_t from_item(void* item) { return static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(item)) - 1u; }

struct Collector {
  std::vector<std::size_t> ids;
  bool out_of_memory = false;
};

void collect_item(void* item, void* userdata) noexcept {
  // Called from inside GEOS: must not throw. A failed push_back is remembered and rethrown by query().
  auto* out = static_cast<Collector*>(userdata);
  try {
    out->ids.push_back(from_item(item));
  } catch (...) {
    out->out_of_memory = true;
  }
}

void count_item(void*, void* userdata) noexcept { ++*static_cast<std::size_t*>(userdata); }

}  // namespace

void StrTree::Deleter::operator()(GEOSSTRtree_t* tree) const noexcept {
  detail::with_cleanup_context([tree](GEOSContextHandle_t h) { GEOSSTRtree_destroy_r(h, tree); });
}

StrTree::StrTree(std::span<const Envelope> envelopes, std::size_t node_capacity) { build(envelopes, node_capacity); }

StrTree::StrTree(std::span<const Geometry> geometries, std::size_t node_capacity) {
  std::vector<Envelope> envelopes;
  envelopes.reserve(geometries.size());
  for (const Geometry& g : geometries) envelopes.push_back(g.envelope());
  build(envelopes, node_capacity);
}

StrTree::StrTree(StrTree&&) noexcept = default;
StrTree& StrTree::operator=(StrTree&&) noexcept = default;
StrTree::~StrTree() = default;

void StrTree::build(std::span<const Envelope> envelopes, std::size_t node_capacity) {
  m_size = envelopes.size();
  m_tree.reset(check(GEOSSTRtree_create_r(geos(), std::max<std::size_t>(node_capacity, 2)), "STRtree create"));
  std::size_t inserted = 0;
  for (std::size_t i = 0; i < envelopes.size(); ++i) {
    if (envelopes[i].is_empty()) continue;
    // GEOS copies the envelope of the inserted geometry, so the rectangle can go right away.
    const Geometry box = Geometry::from_envelope(envelopes[i]);
    GEOSSTRtree_insert_r(geos(), m_tree.get(), raw(box), to_item(i));
    ++inserted;
  }
  // GEOS builds the tree lazily on the first query. Query once here, so that later queries only read
  // the tree and may run concurrently.
  if (inserted > 0) {
    std::size_t count = 0;
    const Geometry probe = Geometry::point(0.0, 0.0);
    GEOSSTRtree_query_r(geos(), m_tree.get(), raw(probe), &count_item, &count);
  }
}

std::vector<std::size_t> StrTree::query(const Envelope& box) const {
  if (box.is_empty() || m_size == 0) return {};
  const Geometry probe = Geometry::from_envelope(box);
  Collector collector;
  GEOSSTRtree_query_r(geos(), m_tree.get(), raw(probe), &collect_item, &collector);
  if (collector.out_of_memory) throw std::bad_alloc();
  std::vector<std::size_t> out = std::move(collector.ids);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace parksim::geom
