#include "metrics/landscape.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/units.hpp"

namespace parksim::metrics {
namespace {

constexpr int kCodes = 256;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// FRAGSTATS' maximum number of like adjacencies (single count) for a class of `cells` cells, reached when
// the class forms one patch as close to a square as possible.
std::int64_t max_like_adjacencies(std::int64_t cells) noexcept {
  auto n = static_cast<std::int64_t>(std::sqrt(static_cast<double>(cells)));
  while (n * n > cells) --n;  // exact integer floor(sqrt) whatever the rounding of std::sqrt
  while ((n + 1) * (n + 1) <= cells) ++n;
  const std::int64_t m = cells - n * n;
  if (m == 0) return 2 * n * (n - 1);
  if (m <= n) return 2 * n * (n - 1) + 2 * m - 1;
  return 2 * n * (n - 1) + 2 * m - 2;
}

// Streaming connected-component labelling over rows. Only two rows of labels are alive: the previous row's
// components are renumbered 0..k-1 after each row, a union-find joins them with the current row's runs, and a
// component is complete (counted) as soon as a row no longer touches it. Nodes never exceed 2 * cols.
class PatchCounter {
 public:
  PatchCounter(int cols, Connectivity connectivity)
      : m_cols(cols), m_eight(connectivity == Connectivity::eight), m_previous(cols, -1), m_current(cols, -1) {
    m_parent.reserve(2 * static_cast<std::size_t>(cols));
    m_area.reserve(2 * static_cast<std::size_t>(cols));
    m_class.reserve(2 * static_cast<std::size_t>(cols));
  }

  // `row` is the current row's codes, `above` the previous row's (nullptr for the first row).
  void add_row(const std::uint8_t* row, const std::uint8_t* above, std::uint8_t nodata) {
    for (int c = 0; c < m_cols; ++c) {
      const std::uint8_t v = row[c];
      if (v == nodata) {
        m_current[c] = -1;
        continue;
      }
      std::int32_t label = (c > 0 && row[c - 1] == v) ? m_current[c - 1] : -1;
      if (above != nullptr) {
        if (above[c] == v) {
          // The diagonal neighbours, when of class v, touch above[c] in the previous row: same component.
          label = join(label, m_previous[c]);
        } else if (m_eight) {
          if (c > 0 && above[c - 1] == v) label = join(label, m_previous[c - 1]);
          if (c + 1 < m_cols && above[c + 1] == v) label = join(label, m_previous[c + 1]);
        }
      }
      if (label < 0) label = make_node(v);
      ++m_area[label];  // summed into the roots by close_row()
      m_current[c] = label;
    }
    close_row();
  }

  // Counts the components still open after the last row.
  void finish() {
    for (std::size_t i = 0; i < m_parent.size(); ++i) complete(static_cast<std::int32_t>(i));
    m_parent.clear();
  }

  std::int64_t patches(int code) const noexcept { return m_patches[code]; }
  std::int64_t largest(int code) const noexcept { return m_largest[code]; }

 private:
  // Joins the current cell's label (or none, -1) with `up`, the component of a same-class previous-row cell.
  std::int32_t join(std::int32_t label, std::int32_t up) noexcept {
    if (label < 0 || label == up) return up;  // the usual case inside a run that already met `up`
    return unite(label, up);
  }

  std::int32_t make_node(std::uint8_t code) {
    const auto id = static_cast<std::int32_t>(m_parent.size());
    m_parent.push_back(id);
    m_area.push_back(0);
    m_class.push_back(code);
    return id;
  }

  std::int32_t find(std::int32_t x) noexcept {
    std::int32_t root = x;
    while (m_parent[root] != root) root = m_parent[root];
    while (m_parent[x] != root) {  // path compression, iterative
      const std::int32_t next = m_parent[x];
      m_parent[x] = root;
      x = next;
    }
    return root;
  }

  std::int32_t unite(std::int32_t a, std::int32_t b) noexcept {
    std::int32_t ra = find(a), rb = find(b);
    if (ra == rb) return ra;
    if (rb < ra) std::swap(ra, rb);  // the older node stays root: deterministic, keeps trees shallow enough
    m_parent[rb] = ra;
    return ra;
  }

  void complete(std::int32_t root) noexcept {
    const int code = m_class[root];
    ++m_patches[code];
    if (m_area[root] > m_largest[code]) m_largest[code] = m_area[root];
  }

  // Components of the previous row that no cell of this row joined are complete; the survivors are
  // renumbered in order of first appearance along the row.
  void close_row() {
    const std::size_t nodes = m_parent.size();
    // Areas were counted on the node each cell was given; move each non-root's own count to its root once.
    for (std::size_t i = 0; i < nodes; ++i) {
      const std::int32_t root = find(static_cast<std::int32_t>(i));
      if (root != static_cast<std::int32_t>(i)) {
        m_area[root] += m_area[i];
        m_area[i] = 0;
      }
    }
    m_remap.assign(nodes, -1);
    std::vector<std::int64_t>& area = m_next_area;
    std::vector<std::uint8_t>& code = m_next_class;
    area.clear();
    code.clear();
    for (int c = 0; c < m_cols; ++c) {
      if (m_current[c] < 0) continue;
      const std::int32_t root = find(m_current[c]);
      if (m_remap[root] < 0) {
        m_remap[root] = static_cast<std::int32_t>(area.size());
        area.push_back(m_area[root]);
        code.push_back(m_class[root]);
      }
      m_current[c] = m_remap[root];
    }
    for (std::size_t i = 0; i < m_previous_nodes; ++i) {
      if (m_parent[i] == static_cast<std::int32_t>(i) && m_remap[i] < 0) complete(static_cast<std::int32_t>(i));
    }
    m_previous_nodes = area.size();
    m_parent.resize(area.size());
    for (std::size_t i = 0; i < area.size(); ++i) m_parent[i] = static_cast<std::int32_t>(i);
    std::swap(m_area, m_next_area);
    std::swap(m_class, m_next_class);
    std::swap(m_previous, m_current);
  }

  int m_cols;
  bool m_eight;
  std::vector<std::int32_t> m_previous;  // component id of each cell of the previous row, -1 = nodata
  std::vector<std::int32_t> m_current;
  std::size_t m_previous_nodes = 0;      // nodes [0, m_previous_nodes) are the previous row's components
  std::vector<std::int32_t> m_parent;
  std::vector<std::int64_t> m_area;      // cells counted on each node; whole components at roots after close_row
  std::vector<std::uint8_t> m_class;
  std::vector<std::int32_t> m_remap;
  std::vector<std::int64_t> m_next_area;  // buffers of close_row(), kept to avoid an allocation per row
  std::vector<std::uint8_t> m_next_class;
  std::array<std::int64_t, kCodes> m_patches{};
  std::array<std::int64_t, kCodes> m_largest{};
};

void add(std::vector<MetricRow>& rows, std::string id, std::string scope, std::string label, std::string unit,
         double value, std::optional<std::uint8_t> class_code = std::nullopt) {
  rows.push_back(MetricRow{std::move(id), std::move(scope), class_code, std::move(label), std::move(unit), value});
}

}  // namespace

const ClassLandscapeMetrics* LandscapeMetrics::find(std::uint8_t class_code) const noexcept {
  for (const ClassLandscapeMetrics& c : classes) {
    if (c.class_code == class_code) return &c;
  }
  return nullptr;
}

std::vector<MetricRow> LandscapeMetrics::to_rows() const {
  std::vector<MetricRow> rows;
  add(rows, "landscape_area", "landscape", "Landscape area (cells with data)", "ha", landscape_area_ha);
  add(rows, "cell_count", "landscape", "Cells with data", "count", static_cast<double>(cell_count));
  add(rows, "nodata_cell_count", "landscape", "Cells without data", "count",
      static_cast<double>(nodata_cell_count));
  for (const ClassLandscapeMetrics& c : classes) {
    const std::uint8_t k = c.class_code;
    add(rows, "class_area", "class", "Class area (CA)", "ha", c.area_ha, k);
    add(rows, "percent_of_landscape", "class", "Percentage of landscape (PLAND)", "%", c.percent_of_landscape, k);
    add(rows, "patch_count", "class", "Number of patches (NP)", "count", static_cast<double>(c.patch_count), k);
    add(rows, "largest_patch_index", "class", "Largest patch index (LPI)", "%", c.largest_patch_index, k);
    add(rows, "mean_patch_area", "class", "Mean patch area (AREA_MN)", "ha", c.mean_patch_area_ha, k);
    add(rows, "edge_length", "class", "Total edge length (TE)", "m", c.edge_length_m, k);
    add(rows, "edge_density", "class", "Edge density (ED)", "m/ha", c.edge_density_m_per_ha, k);
    add(rows, "aggregation_index", "class", "Aggregation index (AI)", "%", c.aggregation_index, k);
    add(rows, "percent_like_adjacencies", "class", "Percentage of like adjacencies (PLADJ)", "%",
        c.percent_like_adjacencies, k);
  }
  return rows;
}

LandscapeMetrics landscape_metrics(const CategoricalMapView& map, const LandscapeParams& params) {
  check_map(map, "map");
  const int rows = map.rows, cols = map.cols;
  const std::uint8_t nodata = map.nodata;
  std::array<std::int64_t, kCodes> cells{}, like{}, edges{}, side_edges{};  // side_edges: between row neighbours
  PatchCounter patches(cols, params.connectivity);

  const std::uint8_t* above = nullptr;
  for (int r = 0; r < rows; ++r) {
    const std::uint8_t* row = map.cells.data() + static_cast<std::int64_t>(r) * cols;
    for (int c = 0; c < cols; ++c) {
      const std::uint8_t v = row[c];
      if (v == nodata) continue;
      ++cells[v];
      // Each shared side is seen once: from its cell on the right and from its cell below.
      if (c > 0 && row[c - 1] != nodata) {
        if (row[c - 1] == v) {
          ++like[v];
        } else {
          ++side_edges[v];
          ++side_edges[row[c - 1]];
        }
      }
      if (above != nullptr && above[c] != nodata) {
        if (above[c] == v) {
          ++like[v];
        } else {
          ++edges[v];
          ++edges[above[c]];
        }
      }
    }
    patches.add_row(row, above, nodata);
    above = row;
  }
  patches.finish();

  LandscapeMetrics result;
  result.connectivity = params.connectivity;
  result.cell_size_m = map.cell_size_m;
  for (int k = 0; k < kCodes; ++k) result.cell_count += cells[k];
  result.nodata_cell_count = map.cell_count() - result.cell_count;
  if (result.cell_count == 0) {
    throw Error(ErrorCode::data, "map has no cell with data (every cell is nodata)", Context{.key = "map"});
  }
  const double cell_area_m2 = map.cell_area_m2();
  const double landscape_m2 = static_cast<double>(result.cell_count) * cell_area_m2;
  result.landscape_area_ha = units::m2_to_ha(landscape_m2);
  const auto total = static_cast<double>(result.cell_count);

  for (int k = 0; k < kCodes; ++k) {
    if (cells[k] == 0) continue;
    ClassLandscapeMetrics m;
    m.class_code = static_cast<std::uint8_t>(k);
    m.cell_count = cells[k];
    m.area_ha = units::m2_to_ha(static_cast<double>(cells[k]) * cell_area_m2);
    m.percent_of_landscape = static_cast<double>(cells[k]) / total * 100.0;
    m.patch_count = patches.patches(k);
    m.largest_patch_cells = patches.largest(k);
    m.largest_patch_index = static_cast<double>(m.largest_patch_cells) / total * 100.0;
    m.mean_patch_area_ha = m.area_ha / static_cast<double>(m.patch_count);
    // Cells side by side in a row share a side of the cell's height, cells one above the other one of its width.
    m.edge_length_m = static_cast<double>(edges[k]) * map.cell_size_m + static_cast<double>(side_edges[k]) * map.cell_height();
    m.edge_density_m_per_ha = m.edge_length_m / landscape_m2 * units::m2_per_ha;
    m.like_adjacencies = like[k];
    const std::int64_t max_like = max_like_adjacencies(cells[k]);
    m.aggregation_index = max_like == 0 ? kNaN : static_cast<double>(like[k]) / static_cast<double>(max_like) * 100.0;
    m.percent_like_adjacencies = static_cast<double>(2 * like[k]) / static_cast<double>(4 * cells[k]) * 100.0;
    result.classes.push_back(m);
  }
  return result;
}

}  // namespace parksim::metrics
