#include "metrics/outcomes.hpp"

#include <algorithm>

namespace parksim::metrics {

namespace {

constexpr std::uint8_t kNoClass = 255;

double built_share(const grid::Grid<std::uint8_t>& map, const std::vector<std::int64_t>& cells,
                   const std::vector<bool>& built) {
  if (cells.empty()) return 0.0;
  std::int64_t n = 0;
  for (auto i : cells) {
    const auto k = map[i];
    if (k != kNoClass && built[k]) ++n;
  }
  return static_cast<double>(n) / static_cast<double>(cells.size());
}

}  // namespace

std::vector<std::vector<std::int64_t>> parcel_cells(const grid::Grid<std::int32_t>& parcel, std::size_t parcels) {
  std::vector<std::vector<std::int64_t>> out(parcels);
  for (std::int64_t i = 0; i < parcel.size(); ++i) {
    if (parcel[i] >= 0) out[static_cast<std::size_t>(parcel[i])].push_back(i);
  }
  return out;
}

std::vector<ParcelDevelopment> parcel_development(const std::vector<std::vector<std::int64_t>>& cells,
                                                  const std::vector<bool>& built_at_start,
                                                  const std::vector<bool>& built, int start_year,
                                                  const grid::Grid<std::uint8_t>& start,
                                                  const std::vector<std::pair<int, grid::Grid<std::uint8_t>>>& year_maps,
                                                  const grid::Grid<std::uint8_t>& final,
                                                  const std::vector<double>& built_probability) {
  const int K = static_cast<int>(built.size());
  std::vector<ParcelDevelopment> out(cells.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    auto& r = out[i];
    const auto& own = cells[i];
    if (own.empty()) {
      r.developed_year = built_at_start[i] ? start_year : -1;
      r.developed_share_end = r.developed_year == start_year ? 1.0 : 0.0;
      r.development_probability = r.developed_share_end;
      continue;
    }
    if (built_share(start, own, built) > 0.5) {
      r.developed_year = start_year;
    } else {
      for (const auto& [y, m] : year_maps) {
        if (built_share(m, own, built) > 0.5) {
          r.developed_year = y;
          break;
        }
      }
    }
    std::vector<std::int64_t> tally(static_cast<std::size_t>(K), 0);
    for (auto c : own) {
      if (final[c] != kNoClass) ++tally[final[c]];
    }
    r.sim_class_end = static_cast<int>(std::max_element(tally.begin(), tally.end()) - tally.begin());
    if (!built_probability.empty()) {
      double sum = 0.0;
      for (auto c : own) sum += built_probability[static_cast<std::size_t>(c)];
      r.developed_share_end = sum / static_cast<double>(own.size());
      r.development_probability = r.developed_share_end;
    } else {
      r.developed_share_end = built_share(final, own, built);
      r.development_probability = r.developed_share_end > 0.5 ? 1.0 : 0.0;
    }
  }
  return out;
}

std::vector<std::vector<double>> developed_by_zone_m2(const std::vector<std::vector<std::int64_t>>& counts,
                                                      const std::vector<bool>& built, int zone_count, double cell_m2) {
  const int K = static_cast<int>(built.size());
  std::vector<std::vector<double>> out(static_cast<std::size_t>(zone_count));
  for (const auto& c : counts) {
    for (int z = 0; z < zone_count; ++z) {
      double zdev = 0.0;
      for (int k = 0; k < K; ++k) {
        if (built[static_cast<std::size_t>(k)]) zdev += static_cast<double>(c[static_cast<std::size_t>(z * K + k)]) * cell_m2;
      }
      out[static_cast<std::size_t>(z)].push_back(zdev);
    }
  }
  return out;
}

double developed_inside_m2(const grid::Grid<std::uint8_t>& map, const grid::Grid<std::uint8_t>& inside,
                           const std::vector<bool>& built, double cell_m2) {
  std::int64_t n = 0;
  for (std::int64_t i = 0; i < map.size(); ++i) {
    if (inside[i] != 0 && map[i] != kNoClass && built[map[i]]) ++n;
  }
  return static_cast<double>(n) * cell_m2;
}

std::vector<double> measure_tracked(const std::vector<TrackedArea>& areas,
                                    const std::vector<const grid::Grid<std::uint8_t>*>& maps, double cell_m2) {
  std::vector<double> out;
  out.reserve(areas.size() * maps.size());
  for (const auto& a : areas) {
    for (const auto* m : maps) {
      if (a.class_factor.empty()) {
        out.push_back(developed_inside_m2(*m, a.inside, a.classes, cell_m2) * a.per_m2);
        continue;
      }
      // Weighted: per class counts first, so the sum is exact and in a fixed order.
      std::vector<std::int64_t> n(a.classes.size(), 0);
      for (std::int64_t i = 0; i < m->size(); ++i) {
        const auto k = (*m)[i];
        if (a.inside[i] != 0 && k < a.classes.size() && a.classes[k]) ++n[k];
      }
      double v = 0.0;
      for (std::size_t k = 0; k < n.size(); ++k) v += static_cast<double>(n[k]) * a.class_factor.at(k);
      out.push_back(v * cell_m2 * a.per_m2);
    }
  }
  return out;
}

int first_year_reaching(const std::vector<int>& years, const std::vector<double>& values, double target) {
  for (std::size_t t = 0; t < years.size() && t < values.size(); ++t) {
    if (values[t] >= target) return years[t];
  }
  return -1;
}

}  // namespace parksim::metrics
