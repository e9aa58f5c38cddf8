#pragma once
// Fast repeated spatial queries: PreparedGeometry (one geometry tested against many) and StrTree (many
// envelopes, queried by box). The usual pattern for "which parcels touch this zone":
//   StrTree tree(parcel_geometries);                 // once
//   PreparedGeometry zone_p(zone);                    // once per zone
//   for (std::size_t i : tree.query(zone.envelope()))  // candidates, ascending
//     if (zone_p.intersects(parcels[i])) ...
// Errors: GEOS failures throw parksim::Error(ErrorCode::geometry).

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "geom/geometry.hpp"

struct GEOSPrepGeom_t;
struct GEOSSTRtree_t;

namespace parksim::geom {

/// A geometry with indexes built for repeated predicate tests against other geometries (GEOS prepared
/// geometry). Owns a copy of the geometry. Answers are identical to the free predicates in
/// geometry.hpp, only faster when one geometry is tested many times.
/// Threads: NOT safe to use one object from several threads at once (GEOS builds its indexes lazily
/// inside the predicates); give each thread its own PreparedGeometry. Movable, not copyable.
class PreparedGeometry {
 public:
  explicit PreparedGeometry(Geometry geometry);
  PreparedGeometry(PreparedGeometry&&) noexcept;
  PreparedGeometry& operator=(PreparedGeometry&&) noexcept;
  PreparedGeometry(const PreparedGeometry&) = delete;
  PreparedGeometry& operator=(const PreparedGeometry&) = delete;
  ~PreparedGeometry();

  const Geometry& geometry() const noexcept { return m_geometry; }
  bool intersects(const Geometry& other) const;
  /// `other` lies in the interior-or-boundary and touches the interior (OGC contains).
  bool contains(const Geometry& other) const;
  /// No point of `other` lies outside (boundary counts as inside).
  bool covers(const Geometry& other) const;
  /// This geometry lies within `other`.
  bool within(const Geometry& other) const;

 private:
  struct Deleter {
    void operator()(const GEOSPrepGeom_t* prepared) const noexcept;
  };
  Geometry m_geometry;
  std::unique_ptr<const GEOSPrepGeom_t, Deleter> m_prepared;
};

/// Sort-Tile-Recursive R-tree over a fixed set of envelopes; item ids are their positions in the input.
/// Built completely in the constructor (no later inserts). Queries return the ids whose envelopes
/// intersect the query box (closed boxes: touching counts), in ascending order, without duplicates, so
/// results are deterministic.
/// Threads: after construction, query() may be called from several threads at once. Movable, not
/// copyable.
class StrTree {
 public:
  /// node_capacity: children per node, DEFAULT 10 (GEOS's default). Empty envelopes are never returned.
  explicit StrTree(std::span<const Envelope> envelopes, std::size_t node_capacity = 10);
  /// Indexes the envelopes of the geometries (ids = positions in `geometries`).
  explicit StrTree(std::span<const Geometry> geometries, std::size_t node_capacity = 10);
  StrTree(StrTree&&) noexcept;
  StrTree& operator=(StrTree&&) noexcept;
  StrTree(const StrTree&) = delete;
  StrTree& operator=(const StrTree&) = delete;
  ~StrTree();

  std::size_t size() const noexcept { return m_size; }
  /// Ids of items whose envelope intersects `box`, ascending. Empty for an empty box.
  std::vector<std::size_t> query(const Envelope& box) const;

 private:
  struct Deleter {
    void operator()(GEOSSTRtree_t* tree) const noexcept;
  };
  void build(std::span<const Envelope> envelopes, std::size_t node_capacity);
  std::size_t m_size = 0;
  std::unique_ptr<GEOSSTRtree_t, Deleter> m_tree;
};

}  // namespace parksim::geom
