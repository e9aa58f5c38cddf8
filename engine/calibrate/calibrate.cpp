#include "calibrate/calibrate.hpp"
#include "io/csv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include <oneapi/tbb/parallel_for.h>
#include <fmt/format.h>

#include "calibrate/detail/nlopt_search.hpp"
#include "core/budget.hpp"
#include "core/error.hpp"
#include "io/atomic.hpp"
#include "io/raster.hpp"
#include "metrics/map.hpp"
#include "model/drivers.hpp"
#include "study/drivers.hpp"
#include "model/suitability.hpp"
#include "grid/distance.hpp"
#include "sim/simulation.hpp"

namespace parksim::calibrate {

namespace {

constexpr std::uint8_t kNodata = sim::nodata_class;

std::string crs_text(const io::CrsRef& crs) {
  if (crs.epsg) return fmt::format("EPSG:{}", *crs.epsg);
  return crs.wkt;
}

struct Raster {
  grid::GridSpec spec;
  io::RasterInfo info;
};

// Reads band 1 and checks it lies exactly where the reference raster lies (the first map), so every grid of the
// series shares one GridSpec.
Raster read_on_reference(const std::filesystem::path& path, const std::string& assume_crs,
                         const grid::GridSpec* reference) {
  Raster r;
  r.info = io::read_raster(path, true);
  const io::RasterGeometry& g = r.info.geometry;
  std::string crs = crs_text(g.crs);
  if (crs.empty()) {
    if (assume_crs.empty()) {
      throw Error(ErrorCode::crs, "raster has no CRS; say which it is (--crs EPSG:xxxx)", Context{.path = path.string()});
    }
    crs = assume_crs;
  }
  r.spec = grid::GridSpec{g.origin_x, g.origin_y, g.cell_size, g.cols, g.rows, crs, g.cell_height};
  if (reference != nullptr) {
    const grid::GridSpec& ref = *reference;
    const double tol = 1e-6 * ref.cell_size_m;
    if (r.spec.cols != ref.cols || r.spec.rows != ref.rows) {
      throw Error(ErrorCode::data,
                  fmt::format("raster is {} x {} cells (rows x cols) but the first map is {} x {}", r.spec.rows,
                              r.spec.cols, ref.rows, ref.cols),
                  Context{.path = path.string()});
    }
    if (std::abs(r.spec.cell_size_m - ref.cell_size_m) > tol || std::abs(r.spec.origin_x - ref.origin_x) > tol ||
        std::abs(r.spec.origin_y - ref.origin_y) > tol) {
      throw Error(ErrorCode::data,
                  fmt::format("raster origin ({}, {}) / cell size {} differ from the first map's ({}, {}) / {}",
                              r.spec.origin_x, r.spec.origin_y, r.spec.cell_size_m, ref.origin_x, ref.origin_y,
                              ref.cell_size_m),
                  Context{.path = path.string()});
    }
    if (r.spec.crs != ref.crs) {
      throw Error(ErrorCode::data, fmt::format("raster CRS {} differs from the first map's CRS {}",
                                               r.spec.crs.substr(0, 60), ref.crs.substr(0, 60)),
                  Context{.path = path.string()});
    }
    r.spec = ref;
  }
  return r;
}

bool is_nodata(const io::RasterInfo& info, double v) {
  if (std::isnan(v)) return true;
  return info.nodata && !std::isnan(*info.nodata) && v == *info.nodata;
}

grid::Grid<std::uint8_t> to_class_grid(const Raster& r, const std::filesystem::path& path) {
  grid::Grid<std::uint8_t> out(r.spec, kNodata);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const double v = r.info.values[static_cast<std::size_t>(i)];
    if (is_nodata(r.info, v) || v == 255.0) continue;
    if (v < 0 || v >= sim::max_classes || v != std::floor(v)) {
      const grid::Cell c = r.spec.cell_of_index(i);
      throw Error(ErrorCode::data,
                  fmt::format("cell value {} is not a class code 0..{} (or nodata)", v, sim::max_classes - 1),
                  Context{.path = path.string(),
                          .coordinate = Coordinate{r.spec.col_centre_x(c.col), r.spec.row_centre_y(c.row)}});
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

// Inside the study area: data in every map.
grid::Grid<std::uint8_t> area_mask(const Series& s) {
  grid::Grid<std::uint8_t> area(s.maps.front().second.spec(), 1);
  for (const auto& [year, map] : s.maps) {
    for (std::int64_t i = 0; i < area.size(); ++i) {
      if (map[i] == s.nodata || map[i] == kNodata) area[i] = 0;
    }
  }
  return area;
}

std::vector<std::int64_t> class_counts(const grid::Grid<std::uint8_t>& map, const grid::Grid<std::uint8_t>& area,
                                       int class_count) {
  std::vector<std::int64_t> n(static_cast<std::size_t>(class_count), 0);
  for (std::int64_t i = 0; i < map.size(); ++i) {
    if (area[i] != 0) ++n[map[i]];
  }
  return n;
}

double normalised(double v, const SearchDimension& d) { return std::clamp((v - d.min) / (d.max - d.min), 0.0, 1.0); }
double denormalised(double x, const SearchDimension& d) { return d.min + x * (d.max - d.min); }

void set_param(sim::Params& p, const std::string& name, double v) {
  if (name == "neighbourhood_weight") {
    p.neighbourhood_weight = v;
  } else if (name == "inertia_adaptation") {
    p.inertia_adaptation = v;
  } else if (name == "patch_share") {
    p.patch_share = v;
  } else if (name == "selection_exponent") {
    p.selection_exponent = v;
  } else if (name == "patch_size_mean_cells") {
    const double ratio = p.patch_size_mean_cells > 0 ? p.patch_size_sd_cells / p.patch_size_mean_cells : 0.0;
    p.patch_size_mean_cells = v;
    p.patch_size_sd_cells = v * ratio;
  } else {
    throw Error(ErrorCode::internal, "unknown search parameter " + name);
  }
}


metrics::CategoricalMapView view(const grid::Grid<std::uint8_t>& g) {
  return metrics::CategoricalMapView{std::span<const std::uint8_t>(g.data(), static_cast<std::size_t>(g.size())),
                                     g.rows(), g.cols(), g.spec().cell_size_m, kNodata, g.spec().cell_height_m};
}

// Everything calibrate() derives once from the series.
struct Prepared {
  const Series* series = nullptr;
  const CalibrationOptions* options = nullptr;
  grid::Grid<std::uint8_t> area;
  grid::Grid<std::uint8_t> eligible;  // area and not excluded
  std::vector<grid::Grid<std::uint8_t>> maps;  // nodata outside the area
  std::vector<int> years;
  std::vector<ClassFit> fits;

  model::DriverSet drivers_at(int year, const grid::Grid<std::uint8_t>& map, int class_id) const {
    if (series->driver_set) return series->driver_set(year, map);
    model::DriverSet ds(area.spec(), &area);
    for (const auto& [name, values] : series->drivers) ds.add(name, values, "");
    if (options->distance_to_class_driver) {
      ds.add(options->class_keys.empty() ? fmt::format("dist_class_{}_m", class_id)
                                         : "dist_class_" + options->class_keys.at(static_cast<std::size_t>(class_id)) + "_m",
             study::distance_driver_m(study::class_mask(map, static_cast<std::uint8_t>(class_id)),
                                      options->max_distance_m),
             "m");
    }
    return ds;
  }

  // The simulation of [from, to] (indices into maps) with the observed growth as demand.
  sim::SimulationInput input(std::size_t from, std::size_t to, std::vector<Problem>& problems) const {
    const int k_count = series->class_count;
    sim::SimulationInput in;
    in.initial_classes = maps[from];
    in.class_count = k_count;
    in.start_year = years[from];
    if (series->exclusion.size() != 0) {
      in.constraint = series->exclusion;
    }
    if (!series->fixed.empty()) {
      // The conversion rules of a run: convertible classes may become any class that is not fixed.
      if (in.constraint.size() == 0) in.constraint = grid::Grid<std::uint8_t>(area.spec(), 0);
      for (std::int64_t i = 0; i < in.constraint.size(); ++i) {
        if (maps[from][i] != kNodata && series->fixed[maps[from][i]]) in.constraint[i] = 1;
      }
      in.conversion.assign(static_cast<std::size_t>(k_count * k_count), sim::ConversionRule{false, 1.0});
      for (int a = 0; a < k_count; ++a) {
        for (int b = 0; b < k_count; ++b) {
          const bool convertible = !series->fixed[a] && !(series->built.size() > 0 && series->built[a]);
          if (a != b && convertible && !series->fixed[b]) {
            in.conversion[static_cast<std::size_t>(a * k_count + b)].allowed = true;
          }
        }
      }
      in.built_classes = series->built;
    }
    in.layer = fmt::format("calibration {}-{}", years[from], years[to]);
    const auto c0 = class_counts(maps[from], area, k_count);
    const auto c1 = class_counts(maps[to], area, k_count);
    in.suitability.resize(static_cast<std::size_t>(k_count));
    for (int k = 0; k < k_count; ++k) {
      if (c1[k] <= c0[k]) continue;
      const auto fit = std::find_if(fits.begin(), fits.end(), [k](const ClassFit& f) { return f.class_id == k; });
      if (fit == fits.end()) {
        problems.push_back(Problem{Severity::warning, "calibrate.unfitted_class",
                                   fmt::format("class {} grows over {}-{} but did not over the fitting interval; "
                                               "its suitability is uniform",
                                               k, years[from], years[to]),
                                   Context{.layer = in.layer}});
        continue;
      }
      model::DriverSet ds = drivers_at(years[from], maps[from], k);
      const model::PotentialModel potential = fit->potential();
      ds.add_terms(model::terms_of(potential));
      in.suitability[static_cast<std::size_t>(k)] =
          sim::quantise_suitability(model::potential_map(ds, potential, &eligible));
    }
    if (series->driver_set && series->drivers_follow_map) {
      // As in a run: the drivers (and so the suitability) follow the simulated map every year.
      const Prepared* self = this;
      const std::vector<std::uint8_t> grows = [&] {
        std::vector<std::uint8_t> g(static_cast<std::size_t>(k_count), 0);
        for (int k = 0; k < k_count; ++k) g[static_cast<std::size_t>(k)] = in.suitability[static_cast<std::size_t>(k)].size() > 0;
        return g;
      }();
      in.suitability_update = [self, grows, k_count](int year, const grid::Grid<std::uint8_t>& map) {
        std::vector<grid::Grid<std::uint8_t>> out(static_cast<std::size_t>(k_count));
        model::DriverSet ds = self->series->driver_set(year, map);
        // The potential is needed only where a cell may still turn into the class: not on the class's own cells,
        // nor on built or fixed ones (the simulation reads no other; the boosted trees cost per cell predicted).
        // (built and fixed classes cannot change when the series has conversion rules, see input())
        const std::vector<bool> none;
        const std::vector<bool>& built = self->series->fixed.empty() ? none : self->series->built;
        const std::vector<bool>& fixed = self->series->fixed;
        grid::Grid<std::uint8_t> mask(map.spec(), 0);
        for (const ClassFit& f : self->fits) {
          if (!grows[static_cast<std::size_t>(f.class_id)]) continue;
          for (std::int64_t i = 0; i < map.size(); ++i) {
            const int c = map[i];
            mask[i] = self->eligible[i] != 0 && c < k_count && c != f.class_id &&
                              !(static_cast<std::size_t>(c) < built.size() && built[static_cast<std::size_t>(c)]) &&
                              !(static_cast<std::size_t>(c) < fixed.size() && fixed[static_cast<std::size_t>(c)])
                          ? 1
                          : 0;
          }
          const model::PotentialModel potential = f.potential();
          ds.add_terms(model::terms_of(potential));
          out[static_cast<std::size_t>(f.class_id)] =
              sim::quantise_suitability(model::potential_map(ds, potential, &mask));
        }
        return out;
      };
    }
    const int span = years[to] - years[from];
    for (int y = 1; y <= span; ++y) {
      sim::YearDemand d;
      d.year = years[from] + y;
      d.cells.assign(static_cast<std::size_t>(k_count), sim::no_target);
      for (int k = 0; k < k_count; ++k) {
        if (c1[k] > c0[k]) {
          d.cells[static_cast<std::size_t>(k)] =
              c0[k] + static_cast<std::int64_t>(std::llround(static_cast<double>(c1[k] - c0[k]) * y / span));
        }
      }
      in.demand.push_back(std::move(d));
    }
    return in;
  }
};

// Pattern of the change to growing classes between two maps: the share of new cells farther than one cell (not in
// the 3 x 3 window) from the class's cells at the start ("far" growth: new patches and scattered cells), and among
// those the share with another new cell of the class among their 8 neighbours (clumped: patches rather than
// scattered cells). FoM alone rewards the least random allocation; these two figures tie the search to the
// observed way of growing as well.
struct ChangePattern {
  double far_share = 0.0;
  double far_clumped_share = 0.0;
};

ChangePattern change_pattern(const grid::Grid<std::uint8_t>& start, const grid::Grid<std::uint8_t>& end,
                             const std::vector<int>& classes) {
  std::int64_t fresh = 0, far = 0, clumped = 0;
  const int rows = start.rows(), cols = start.cols();
  for (int k : classes) {
    const auto kk = static_cast<std::uint8_t>(k);
    const grid::Grid<std::int64_t> d2 = grid::squared_distance_cells(study::class_mask(start, kk));
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        if (end(r, c) != kk || start(r, c) == kk) continue;
        ++fresh;
        if (d2(r, c) <= 2) continue;
        ++far;
        bool neighbour = false;
        for (int dr = -1; dr <= 1 && !neighbour; ++dr) {
          for (int dc = -1; dc <= 1; ++dc) {
            const int rr = r + dr, cc = c + dc;
            if ((dr == 0 && dc == 0) || rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
            if (end(rr, cc) == kk && start(rr, cc) != kk) {
              neighbour = true;
              break;
            }
          }
        }
        clumped += neighbour ? 1 : 0;
      }
    }
  }
  ChangePattern p;
  if (fresh > 0) p.far_share = static_cast<double>(far) / static_cast<double>(fresh);
  if (far > 0) p.far_clumped_share = static_cast<double>(clumped) / static_cast<double>(far);
  return p;
}

// The observed patch sizes as sim::Params::patch_sizes_cells: all of them, or evenly spaced order statistics when
// there are more than the simulation takes (the same distribution, fewer values).
std::vector<int> patch_size_sample(const std::vector<std::int64_t>& ascending) {
  constexpr std::size_t kMost = 100'000;
  constexpr std::int64_t kLargest = 1'000'000;
  std::vector<int> out;
  const std::size_t n = std::min(ascending.size(), kMost);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = ascending.size() <= kMost ? i : (i * (ascending.size() - 1)) / (kMost - 1);
    out.push_back(static_cast<int>(std::min(ascending[j], kLargest)));
  }
  return out;
}

std::string toml_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string toml_key(const std::string& key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (bare) return key;
  std::string q = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}


constexpr int kBlockCells = 16;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// A sample split into the cells of spatial blocks of kBlockCells x kBlockCells (a checkerboard): fold 0 trains on the
// white blocks and tests on the black ones, fold 1 the other way round.
std::pair<model::TrainingSample, model::TrainingSample> split_blocks(const model::TrainingSample& s,
                                                                     const grid::GridSpec& spec, int fold) {
  model::TrainingSample train, test;
  for (std::size_t i = 0; i < s.cells.size(); ++i) {
    const grid::Cell c = spec.cell_of_index(s.cells[i]);
    const int colour = (c.row / kBlockCells + c.col / kBlockCells) % 2;
    auto& to = colour == fold ? train : test;
    to.cells.push_back(s.cells[i]);
    to.labels.push_back(s.labels[i]);
  }
  return {std::move(train), std::move(test)};
}

// The drivers of a set without the hinge terms earlier fits added to it.
std::vector<std::string> base_names(const model::DriverSet& ds) {
  std::vector<std::string> out;
  for (const auto& n : ds.names()) {
    if (!model::parse_hinge(n)) out.push_back(n);
  }
  return out;
}

// The terms of the spline learner: each driver and its hinges at the 20/40/60/80 % quantiles of the sample (distinct
// knots strictly inside the driver's range).
std::vector<std::string> spline_terms(const model::DriverSet& ds, const model::TrainingSample& s) {
  std::vector<std::string> terms;
  for (const std::string& name : base_names(ds)) {
    const std::size_t j = ds.index_of(name);
    terms.push_back(name);
    std::vector<double> v;
    for (const auto cell : s.cells) v.push_back(ds.values(j)[cell]);
    std::sort(v.begin(), v.end());
    double previous = v.empty() ? 0.0 : v.front();
    for (const double q : {0.2, 0.4, 0.6, 0.8}) {
      if (v.empty()) break;
      const double knot = v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
      if (knot <= previous || knot >= v.back()) continue;
      terms.push_back(model::hinge_name(name, knot));
      previous = knot;
    }
  }
  return terms;
}

model::LogisticModel fit_terms(model::DriverSet& ds, const std::vector<std::string>& terms,
                               const model::TrainingSample& s) {
  ds.add_terms(terms);
  const Eigen::MatrixXd x = ds.sample(s.cells, terms);
  Eigen::VectorXd y(static_cast<Eigen::Index>(s.labels.size()));
  for (std::size_t i = 0; i < s.labels.size(); ++i) y[static_cast<Eigen::Index>(i)] = s.labels[i] ? 1.0 : 0.0;
  Eigen::VectorXd mean(static_cast<Eigen::Index>(terms.size())), sd(static_cast<Eigen::Index>(terms.size()));
  for (std::size_t j = 0; j < terms.size(); ++j) {
    const std::size_t at = ds.index_of(terms[j]);
    mean[static_cast<Eigen::Index>(j)] = ds.mean(at);
    sd[static_cast<Eigen::Index>(j)] = ds.sd(at);
  }
  model::LogisticFitOptions fit;
  fit.l2_lambda = 1e-3;  // hinge terms are collinear with their driver: a little ridge keeps the fit stable
  return model::fit_logistic(x, y, terms, fit, &mean, &sd);
}

// Probabilities of `learner` fitted on `train` (drivers `ds`) for the cells of `test` (drivers `test_ds`).
double holdout_auc(const std::string& learner, model::DriverSet& ds, const model::TrainingSample& train,
                   model::DriverSet& test_ds, const model::TrainingSample& test, const CalibrationOptions& options) {
  const bool both = std::any_of(train.labels.begin(), train.labels.end(), [](auto v) { return v != 0; }) &&
                    std::any_of(train.labels.begin(), train.labels.end(), [](auto v) { return v == 0; });
  if (!both || test.cells.empty()) return std::numeric_limits<double>::quiet_NaN();
  Eigen::VectorXd p;
  if (learner == "boosted") {
    model::BoostedOptions o = options.boosted;
    o.seed = options.seed;
    const std::vector<std::string> names = base_names(ds);
    const model::BoostedTrees trees = model::fit_boosted(ds.sample(train.cells, names), train.labels, names, o);
    p = trees.predict(test_ds.sample(test.cells, trees.names()));
  } else {
    const std::vector<std::string> terms = learner == "spline" ? spline_terms(ds, train) : base_names(ds);
    const model::LogisticModel m = fit_terms(ds, terms, train);
    test_ds.add_terms(terms);
    p = model::predict(m, test_ds.sample(test.cells, terms));
  }
  return model::auc(std::span<const double>(p.data(), static_cast<std::size_t>(p.size())), test.labels);
}

// Fits `learner` on the whole sample into `cf` (model, raw coefficients, in-sample AUC, contributions).
void fit_learner(const std::string& learner, model::DriverSet& ds, const model::TrainingSample& s,
                 const CalibrationOptions& options, ClassFit& cf) {
  cf.learner = learner;
  Eigen::VectorXd p;
  if (learner == "boosted") {
    model::BoostedOptions o = options.boosted;
    o.seed = options.seed;
    const std::vector<std::string> names = base_names(ds);
    model::BoostedTrees trees = model::fit_boosted(ds.sample(s.cells, names), s.labels, names, o);
    p = trees.predict(ds.sample(s.cells, trees.names()));
    const auto shares = trees.gain_shares();
    for (std::size_t j = 0; j < trees.names().size(); ++j) cf.contributions.emplace_back(trees.names()[j], shares[j]);
    cf.boosted = std::move(trees);
  } else {
    const std::vector<std::string> terms = learner == "spline" ? spline_terms(ds, s) : base_names(ds);
    cf.model = fit_terms(ds, terms, s);
    const Eigen::MatrixXd x = ds.sample(s.cells, terms);
    p = model::predict(cf.model, x);
    // Contributions per driver: its terms' shares summed.
    for (const auto& c : model::contributions(cf.model, x)) {
      const auto hinge = model::parse_hinge(c.name);
      const std::string driver = hinge ? hinge->first : c.name;
      auto it = std::find_if(cf.contributions.begin(), cf.contributions.end(),
                             [&](const auto& e) { return e.first == driver; });
      if (it == cf.contributions.end()) {
        cf.contributions.emplace_back(driver, c.share);
      } else {
        it->second += c.share;
      }
    }
    // Raw units: b_j / sd_j per term, intercept b0 - sum_j b_j mean_j / sd_j.
    double intercept = cf.model.coefficients[0];
    std::vector<std::pair<std::string, double>> raw;
    for (std::size_t j = 0; j < cf.model.driver_count(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      const double b = cf.model.coefficients[jj + 1] / cf.model.driver_sd[jj];
      intercept -= b * cf.model.driver_mean[jj];
      raw.emplace_back(cf.model.names[j], b);
    }
    cf.raw_coefficients.emplace_back("intercept", intercept);
    cf.raw_coefficients.insert(cf.raw_coefficients.end(), raw.begin(), raw.end());
  }
  cf.training_auc = model::auc(std::span<const double>(p.data(), static_cast<std::size_t>(p.size())), s.labels);
}

}  // namespace

model::PotentialModel ClassFit::potential() const {
  if (boosted) return *boosted;
  return model;
}

void Series::validate() const {
  if (maps.size() < 2) {
    throw Error(ErrorCode::data, fmt::format("a calibration needs at least 2 dated maps, got {}", maps.size()),
                Context{.key = "series.maps"});
  }
  if (class_count < 1 || class_count > sim::max_classes) {
    throw Error(ErrorCode::data, fmt::format("class count {} is outside 1..{}", class_count, sim::max_classes),
                Context{.key = "series.class_count"});
  }
  const grid::GridSpec& spec = maps.front().second.spec();
  for (std::size_t m = 0; m < maps.size(); ++m) {
    const auto& [year, map] = maps[m];
    const Context where{.layer = std::to_string(year), .key = "series.maps"};
    if (m > 0 && year <= maps[m - 1].first) {
      throw Error(ErrorCode::data, fmt::format("years must increase: {} follows {}", year, maps[m - 1].first), where);
    }
    if (map.spec() != spec) throw Error(ErrorCode::data, "map is on another grid than the first map", where);
    for (std::int64_t i = 0; i < map.size(); ++i) {
      if (map[i] != nodata && map[i] != kNodata && map[i] >= class_count) {
        throw Error(ErrorCode::data, fmt::format("class code {} >= class count {}", map[i], class_count), where);
      }
    }
  }
  const grid::Grid<std::uint8_t> area = area_mask(*this);
  for (const auto& [name, values] : drivers) {
    const Context where{.layer = name, .key = "series.drivers"};
    if (values.spec() != spec) throw Error(ErrorCode::data, "driver is on another grid than the maps", where);
    for (std::int64_t i = 0; i < values.size(); ++i) {
      if (area[i] != 0 && !std::isfinite(values[i])) {
        throw Error(ErrorCode::data, "driver value is not finite inside the study area", where);
      }
    }
  }
  if (exclusion.size() != 0 && exclusion.spec() != spec) {
    throw Error(ErrorCode::data, "exclusion mask is on another grid than the maps", Context{.key = "series.exclusion"});
  }
}

std::optional<int> year_from_file_name(const std::filesystem::path& path) {
  const std::string stem = path.stem().string();
  std::optional<int> year;
  std::size_t i = 0;
  while (i < stem.size()) {
    if (stem[i] < '0' || stem[i] > '9') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < stem.size() && stem[j] >= '0' && stem[j] <= '9') ++j;
    if (j - i == 4) year = std::stoi(stem.substr(i, 4));
    i = j;
  }
  return year;
}

Series load_series(std::span<const MapFile> maps, std::span<const DriverFile> drivers,
                   const std::optional<std::filesystem::path>& exclusion, const std::string& assume_crs,
                   std::vector<Problem>* problems) {
  if (maps.size() < 2) {
    throw Error(ErrorCode::usage, fmt::format("a calibration needs at least 2 dated maps, got {}", maps.size()),
                Context{.key = "series.maps"});
  }
  std::vector<MapFile> sorted(maps.begin(), maps.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const MapFile& a, const MapFile& b) { return a.year < b.year; });
  for (std::size_t m = 1; m < sorted.size(); ++m) {
    if (sorted[m].year == sorted[m - 1].year) {
      throw Error(ErrorCode::usage, fmt::format("two maps for year {}", sorted[m].year),
                  Context{.path = sorted[m].path.string(), .key = "series.maps"});
    }
  }
  Series s;
  grid::GridSpec spec;
  int max_code = -1;
  {
    // The whole series before any cell is read: one byte per cell and map, four per driver cell, the reading of one
    // raster as doubles, and about 110 bytes per cell for the simulations of the search (as a run measures).
    const io::RasterInfo first = io::read_raster(sorted[0].path);
    const auto cells = static_cast<std::uint64_t>(first.geometry.cols) * static_cast<std::uint64_t>(first.geometry.rows);
    check_memory_budget(cells * (sorted.size() + 4 * drivers.size() + 8 + 110),
                        fmt::format("calibrating {} maps of {} x {} cells", sorted.size(), first.geometry.cols,
                                    first.geometry.rows),
                        "crop the maps to the study area or resample them to coarser cells (gdalwarp -te ... -tr ...)",
                        Context{.path = sorted[0].path.string(), .key = "--map"});
  }
  for (std::size_t m = 0; m < sorted.size(); ++m) {
    const Raster r = read_on_reference(sorted[m].path, assume_crs, m == 0 ? nullptr : &spec);
    if (m == 0) spec = r.spec;
    grid::Grid<std::uint8_t> g = to_class_grid(r, sorted[m].path);
    std::int64_t classified = 0;
    for (std::int64_t i = 0; i < g.size(); ++i) {
      if (g[i] != kNodata) max_code = std::max(max_code, static_cast<int>(g[i]));
      classified += g[i] != kNodata ? 1 : 0;
    }
    if (classified == 0) {
      throw Error(ErrorCode::data,
                  fmt::format("every cell of the map of {} is nodata{}, so it says nothing about land use: check the "
                              "raster's nodata value, or give the right file",
                              sorted[m].year,
                              r.info.nodata ? fmt::format(" (nodata = {})", *r.info.nodata) : std::string()),
                  Context{.path = sorted[m].path.string(), .key = "--map"});
    }
    s.maps.emplace_back(sorted[m].year, std::move(g));
  }
  s.class_count = std::max(max_code + 1, 1);
  for (const DriverFile& d : drivers) {
    const Raster r = read_on_reference(d.path, assume_crs, &spec);
    grid::Grid<float> g(spec, 0.0F);
    double sum = 0.0;
    std::int64_t valid = 0, missing = 0;
    for (std::int64_t i = 0; i < g.size(); ++i) {
      const double v = r.info.values[static_cast<std::size_t>(i)];
      if (is_nodata(r.info, v) || !std::isfinite(v)) {
        ++missing;
        continue;
      }
      sum += v;
      ++valid;
    }
    if (valid == 0) {
      throw Error(ErrorCode::data, "driver raster has no valid cell", Context{.path = d.path.string(), .layer = d.name});
    }
    const float mean = static_cast<float>(sum / static_cast<double>(valid));
    for (std::int64_t i = 0; i < g.size(); ++i) {
      const double v = r.info.values[static_cast<std::size_t>(i)];
      g[i] = (is_nodata(r.info, v) || !std::isfinite(v)) ? mean : static_cast<float>(v);
    }
    if (missing > 0 && problems != nullptr) {
      problems->push_back(Problem{Severity::warning, "calibrate.driver_nodata",
                                  fmt::format("{} nodata cells of driver {} take its mean {}", missing, d.name, mean),
                                  Context{.path = d.path.string(), .layer = d.name}});
    }
    s.drivers.emplace_back(d.name, std::move(g));
  }
  if (exclusion) {
    const Raster r = read_on_reference(*exclusion, assume_crs, &spec);
    s.exclusion = grid::Grid<std::uint8_t>(spec, 0);
    for (std::int64_t i = 0; i < s.exclusion.size(); ++i) {
      const double v = r.info.values[static_cast<std::size_t>(i)];
      s.exclusion[i] = (!is_nodata(r.info, v) && v != 0.0) ? 1 : 0;
    }
  }
  s.validate();
  return s;
}

void CalibrationOptions::validate() const {
  auto bad = [](const char* key, const std::string& what) {
    throw Error(ErrorCode::config, what, Context{.key = std::string("calibrate.") + key});
  };
  if (budget < 1) bad("budget", fmt::format("budget {} must be >= 1", budget));
  if (runs_per_evaluation < 1) bad("runs_per_evaluation", fmt::format("{} must be >= 1", runs_per_evaluation));
  if (sample_cells < 10) bad("sample_cells", fmt::format("{} must be >= 10", sample_cells));
  if (!(max_distance_m > 0)) bad("max_distance_m", "must be > 0");
  if (!(min_step > 0 && min_step <= 0.5)) bad("min_step", "must be in (0, 0.5]");
  if (search != "compass" && search != "sbplx" && search != "bobyqa") {
    bad("search", "must be compass, sbplx or bobyqa, got '" + search + "'");
  }
  if (patches != "observed" && patches != "search") {
    bad("patches", "must be observed or search, got '" + patches + "'");
  }
  if (learner != "auto" && learner != "logistic" && learner != "spline" && learner != "boosted") {
    bad("learner", fmt::format("unknown learner '{}' (learners: auto, logistic, spline, boosted)", learner));
  }
  for (std::size_t k = 0; k < class_keys.size(); ++k) {
    const std::string& key = class_keys[k];
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!plain) bad("class_keys", fmt::format("class key {} '{}' must be ASCII letters, digits and '_'", k, key));
    for (std::size_t j = 0; j < k; ++j) {
      if (class_keys[j] == key) bad("class_keys", fmt::format("class key '{}' is given for codes {} and {}", key, j, k));
    }
  }
}


double search_value(const sim::Params& p, const std::string& name) {
  if (name == "neighbourhood_weight") return p.neighbourhood_weight;
  if (name == "inertia_adaptation") return p.inertia_adaptation;
  if (name == "patch_share") return p.patch_share;
  if (name == "patch_size_mean_cells") return p.patch_size_mean_cells;
  if (name == "selection_exponent") return p.selection_exponent;
  throw Error(ErrorCode::internal, "unknown search parameter " + name);
}

std::vector<SearchDimension> search_box() {
  return {{"neighbourhood_weight", 0.0, 1.0},
          {"inertia_adaptation", 0.0, 2.0},
          {"patch_share", 0.0, 0.6},
          {"patch_size_mean_cells", 2.0, 40.0},
          {"selection_exponent", 1.0, 8.0}};
}

namespace {

// The growth of the fitted classes from map `from` to `end`, pooled.
metrics::GrowthPatches pooled_growth(const Prepared& p, std::size_t from, const grid::Grid<std::uint8_t>& end) {
  metrics::GrowthPatches g;
  for (const ClassFit& f : p.fits) {
    g.pool(metrics::growth_patches(view(p.maps[from]), view(end), static_cast<std::uint8_t>(f.class_id)));
  }
  return g;
}

// CalibrationOptions::patches = observed. Organic growth is the automaton's at the edges of existing patches
// (neighbourhood_weight 1: no scattered cells); the rest are new patches. Over an interval of several years a patch
// seeded early grows organically until the end, so the observed share of new-patch cells and the observed sizes are
// larger than the yearly process that made them. Indirect inference on the fitting interval: the patch share is the
// one whose simulated interval shows the observed share (bisection; the simulated share grows with it), and the drawn
// sizes are the observed ones scaled down by the ratio of simulated to observed mean size (then the share again).
void fit_patches(const Prepared& p, const CalibrationOptions& options, CalibrationResult& result, sim::Params& base) {
  const metrics::GrowthPatches& observed = result.observed_growth;
  base.neighbourhood_weight = 1.0;
  base.patch_share = 0.0;
  base.patch_sizes_cells.clear();
  if (observed.new_patch_sizes.empty()) return;
  std::vector<Problem> ignored;
  const sim::SimulationInput input = p.input(0, 1, ignored);
  const std::vector<int> sizes = patch_size_sample(observed.new_patch_sizes);
  auto simulated = [&](const sim::Params& params) {
    std::vector<metrics::GrowthPatches> runs(static_cast<std::size_t>(options.runs_per_evaluation));
    tbb::parallel_for(0, options.runs_per_evaluation, [&](int r) {
      const sim::SimulationResult sr = sim::simulate(input, params, options.seed, static_cast<std::uint64_t>(r));
      runs[static_cast<std::size_t>(r)] = pooled_growth(p, 0, sr.final_classes);
    });
    metrics::GrowthPatches g;
    for (const metrics::GrowthPatches& run : runs) g.pool(run);  // run order: any thread count
    return g;
  };
  auto bisect_share = [&](double lo, double hi, int steps) {
    for (int i = 0; i < steps; ++i) {
      base.patch_share = 0.5 * (lo + hi);
      (simulated(base).new_patch_share() < observed.new_patch_share() ? lo : hi) = base.patch_share;
    }
    base.patch_share = 0.5 * (lo + hi);
  };
  base.patch_sizes_cells = sizes;
  bisect_share(0.0, 1.0, 7);
  const metrics::GrowthPatches first = simulated(base);
  auto mean = [](const std::vector<std::int64_t>& v) {
    return v.empty() ? 0.0
                     : static_cast<double>(std::accumulate(v.begin(), v.end(), std::int64_t{0})) /
                           static_cast<double>(v.size());
  };
  const double scale = mean(first.new_patch_sizes) > 0.0
                           ? std::clamp(mean(observed.new_patch_sizes) / mean(first.new_patch_sizes), 0.1, 1.0)
                           : 1.0;
  if (scale < 0.95) {
    for (int& v : base.patch_sizes_cells) v = std::max(1, static_cast<int>(std::lround(v * scale)));
    bisect_share(std::max(0.0, base.patch_share - 0.2), std::min(1.0, base.patch_share + 0.2), 5);
    result.patch_size_scale = scale;
    result.simulated_growth = simulated(base);
  } else {
    result.patch_size_scale = 1.0;  // sizes drawn as observed: `first` is the calibrated simulation already
    result.simulated_growth = first;
  }
  result.simulated_growth_runs = options.runs_per_evaluation;
}


// A class that does not grow over the fitting interval gets no transition potential: the Problem names it, what the
// maps show (its gross gains and net change) and the fallback.
void report_unfitted_class(const Prepared& p, int k, std::int64_t before, std::int64_t after,
                           std::vector<Problem>& problems) {
  if (before == 0 && after == 0) return;  // a code no map uses
  std::int64_t gained = 0;
  const auto kk = static_cast<std::uint8_t>(k);
  for (std::int64_t i = 0; i < p.maps[0].size(); ++i) gained += (p.maps[1][i] == kk && p.maps[0][i] != kk) ? 1 : 0;
  const std::vector<std::string>& keys = p.options->class_keys;
  const std::string name = k < static_cast<int>(keys.size()) ? fmt::format("'{}' (code {})", keys[static_cast<std::size_t>(k)], k)
                                                             : fmt::format("code {}", k);
  problems.push_back(Problem{
      Severity::warning, "calibrate.no_transitions",
      fmt::format("class {} does not grow over {}-{} ({} cells became it, net change {:+d} cells): no transition "
                  "potential is fitted for it. Fallback: it only gives land in the calibration's simulations, and a "
                  "forecast that makes it grow gives it a uniform suitability",
                  name, p.years[0], p.years[1], gained, after - before),
      Context{.key = "series.maps"}});
}

}  // namespace

CalibrationResult calibrate(const Series& series, const CalibrationOptions& options, const Progress& progress) {
  series.validate();
  options.validate();
  options.base.validate(series.class_count);
  if (!options.class_keys.empty() && static_cast<int>(options.class_keys.size()) < series.class_count) {
    throw Error(ErrorCode::config,
                fmt::format("{} class keys for {} class codes: give one key per code 0..{}", options.class_keys.size(),
                            series.class_count, series.class_count - 1),
                Context{.key = "calibrate.class_keys"});
  }

  Prepared p;
  p.series = &series;
  p.options = &options;
  p.area = area_mask(series);
  p.eligible = p.area;
  if (series.exclusion.size() != 0) {
    for (std::int64_t i = 0; i < p.eligible.size(); ++i) {
      if (series.exclusion[i] != 0) p.eligible[i] = 0;
    }
  }
  for (const auto& [year, map] : series.maps) {
    grid::Grid<std::uint8_t> m = map;
    for (std::int64_t i = 0; i < m.size(); ++i) {
      if (p.area[i] == 0) m[i] = kNodata;
    }
    p.maps.push_back(std::move(m));
    p.years.push_back(year);
  }

  CalibrationResult result;
  result.years = p.years;
  result.class_keys = options.class_keys;

  // 1. Transition potential on [t0, t1], with the learner chosen by out-of-sample AUC.
  progress.check(0.0, "fitting suitability");
  {
    const auto c0 = class_counts(p.maps[0], p.area, series.class_count);
    const auto c1 = class_counts(p.maps[1], p.area, series.class_count);
    for (int k = 0; k < series.class_count; ++k) {
      if (c1[k] <= c0[k]) {
        report_unfitted_class(p, k, c0[k], c1[k], result.problems);
        continue;
      }
      model::TrainingSampleParams sp;
      sp.cells_per_group = options.sample_cells;
      sp.seed = options.seed;
      const auto kk = static_cast<std::uint8_t>(k);
      const auto sample = model::sample_training_cells(p.maps[0], p.maps[1], kk, &p.eligible, sp);
      model::DriverSet ds = p.drivers_at(p.years[0], p.maps[0], k);
      ClassFit cf;
      cf.class_id = k;
      cf.changed_cells = sample.changed_available;
      // Out of sample: the next interval when there is one, else spatial blocks the fit does not see.
      std::vector<std::string> learners = {"logistic", "spline", "boosted"};
      if (options.learner != "auto") learners = {options.learner};
      if (learners.size() > 1) {
        std::vector<double> auc_sum(learners.size(), 0.0);
        if (p.maps.size() >= 3) {
          cf.holdout = fmt::format("held-out interval {}-{}", p.years[1], p.years[2]);
          const auto test = model::sample_training_cells(p.maps[1], p.maps[2], kk, &p.eligible, sp);
          model::DriverSet test_ds = p.drivers_at(p.years[1], p.maps[1], k);
          for (std::size_t l = 0; l < learners.size(); ++l) {
            auc_sum[l] = holdout_auc(learners[l], ds, sample, test_ds, test, options);
          }
        } else {
          cf.holdout = fmt::format("spatial blocks of {0} x {0} cells of {1}-{2} the fit did not see, two folds",
                                   kBlockCells, p.years[0], p.years[1]);
          for (int fold = 0; fold < 2; ++fold) {
            const auto [train, test] = split_blocks(sample, p.area.spec(), fold);
            for (std::size_t l = 0; l < learners.size(); ++l) {
              auc_sum[l] += 0.5 * holdout_auc(learners[l], ds, train, ds, test, options);
            }
          }
        }
        std::size_t best = 0;
        for (std::size_t l = 0; l < learners.size(); ++l) {
          cf.holdout_auc.emplace_back(learners[l], auc_sum[l]);
          if (auc_sum[l] > auc_sum[best] + 1e-12) best = l;
        }
        learners = {learners[best]};
      }
      fit_learner(learners.front(), ds, sample, options, cf);
      p.fits.push_back(std::move(cf));
    }
  }
  if (p.fits.empty()) {
    throw Error(ErrorCode::data,
                fmt::format("no class grows between {} and {}: nothing to fit", p.years[0], p.years[1]),
                Context{.key = "series.maps"});
  }
  result.fits = p.fits;
  result.observed_growth = pooled_growth(p, 0, p.maps[1]);
  sim::Params base = options.base;
  const bool observed_patches = options.patches == "observed";
  if (observed_patches) {
    progress.check(0.08, "measuring growth patterns");
    fit_patches(p, options, result, base);
  }

  // 2. Tuning on [t1, t2].
  progress.check(0.1, "tuning simulation parameters");
  // [t1, t2], or with two maps the fitting interval itself.
  const std::size_t t0 = p.maps.size() >= 3 ? 1 : 0;
  const std::size_t t1 = t0 + 1;
  const sim::SimulationInput tune_input = p.input(t0, t1, result.problems);
  result.fitted = {p.years[0], p.years[1]};
  result.tuned_on = {p.years[t0], p.years[t1]};
  result.validated_on = {p.years[p.maps.size() - 2], p.years.back()};
  std::vector<int> tune_classes;
  {
    const auto c1 = class_counts(p.maps[t0], p.area, series.class_count);
    const auto c2 = class_counts(p.maps[t1], p.area, series.class_count);
    for (int k = 0; k < series.class_count; ++k) {
      if (c2[k] > c1[k]) tune_classes.push_back(k);
    }
  }
  const ChangePattern observed_pattern = change_pattern(p.maps[t0], p.maps[t1], tune_classes);
  const std::vector<SearchDimension> box = search_box();
  std::vector<std::size_t> active;
  const bool competing = tune_classes.size() >= 2;
  for (std::size_t d = 0; d < box.size(); ++d) {
    if (box[d].name == "inertia_adaptation" && !competing) continue;
    if (observed_patches && (box[d].name == "patch_share" || box[d].name == "patch_size_mean_cells" ||
                             box[d].name == "neighbourhood_weight")) {
      continue;
    }
    active.push_back(d);
    result.tuned.push_back(box[d].name);
  }
  auto params_at = [&](const std::vector<double>& x) {
    sim::Params params = base;
    for (std::size_t d : active) set_param(params, box[d].name, denormalised(x[d], box[d]));
    return params;
  };
  std::map<std::vector<std::int64_t>, double> cache;
  auto key_of = [](const std::vector<double>& x) {
    std::vector<std::int64_t> key;
    for (double v : x) key.push_back(std::llround(v * 4096.0));
    return key;
  };
  double smallest_step = 1.0;
  auto evaluate = [&](const std::vector<double>& x, double step) -> std::optional<double> {
    const auto key = key_of(x);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
    if (static_cast<int>(result.evaluations.size()) >= options.budget) return std::nullopt;
    progress.check(0.1 + 0.8 * static_cast<double>(result.evaluations.size()) / options.budget,
                   "tuning simulation parameters");
    const sim::Params params = params_at(x);
    // The runs of an evaluation in parallel (each its own random stream); summed in run order, so the objective is
    // the same for any thread count.
    std::vector<double> scores(static_cast<std::size_t>(options.runs_per_evaluation), 0.0);
    tbb::parallel_for(0, options.runs_per_evaluation, [&](int r) {
      const sim::SimulationResult sr = sim::simulate(tune_input, params, options.seed, static_cast<std::uint64_t>(r));
      const metrics::ValidationResult v =
          metrics::validate_simulation(view(p.maps[t0]), view(p.maps[t1]), view(sr.final_classes));
      const double fom = v.model.fom.figure_of_merit;
      double score = std::isnan(fom) ? 0.0 : fom;
      if (options.pattern_weight > 0) {
        const ChangePattern sp = change_pattern(p.maps[t0], sr.final_classes, tune_classes);
        score -= options.pattern_weight * (std::abs(sp.far_share - observed_pattern.far_share) +
                                           std::abs(sp.far_clumped_share - observed_pattern.far_clumped_share));
      }
      scores[static_cast<std::size_t>(r)] = score;
    });
    double sum = 0.0;
    for (const double score : scores) sum += score;
    const double objective = sum / options.runs_per_evaluation;
    double squares = 0.0;
    for (const double score : scores) squares += (score - objective) * (score - objective);
    const int n = options.runs_per_evaluation;
    Evaluation e;
    for (std::size_t d = 0; d < box.size(); ++d) e.values.push_back(search_value(params, box[d].name));
    e.objective = objective;
    e.standard_error = n > 1 ? std::sqrt(squares / (n - 1) / n) : 0.0;
    result.evaluations.push_back(std::move(e));
    cache.emplace(key, objective);
    smallest_step = std::min(smallest_step, step);
    return objective;
  };

  std::vector<double> best(box.size());
  for (std::size_t d = 0; d < box.size(); ++d) best[d] = normalised(search_value(base, box[d].name), box[d]);
  double best_f = *evaluate(best, 1.0);
  double step = 0.25;
  bool budget_left = true;
  if (options.search != "compass" && !active.empty()) {
    // NLopt over the active dimensions; the others stay at the base.
    std::vector<double> start;
    for (std::size_t d : active) start.push_back(best[d]);
    const std::vector<double> found = detail::nlopt_maximise(
        options.search, start, step, options.min_step, [&](const std::vector<double>& y) -> std::optional<double> {
          std::vector<double> x = best;
          for (std::size_t i = 0; i < active.size(); ++i) x[active[i]] = y[i];
          return evaluate(x, options.min_step);
        });
    for (std::size_t i = 0; i < active.size(); ++i) best[active[i]] = found[i];
    best_f = *evaluate(best, options.min_step);  // cached: the best point was evaluated
    budget_left = false;
  }
  while (budget_left && step >= options.min_step && !active.empty()) {
    bool improved = false;
    for (std::size_t d : active) {
      for (const double dir : {1.0, -1.0}) {
        std::vector<double> y = best;
        y[d] = std::clamp(y[d] + dir * step, 0.0, 1.0);
        if (y[d] == best[d]) continue;
        const std::optional<double> f = evaluate(y, step);
        if (!f) {
          budget_left = false;
          break;
        }
        if (*f > best_f) {
          best = y;
          best_f = *f;
          improved = true;
          break;
        }
      }
      if (!budget_left) break;
    }
    if (!improved) step /= 2.0;
  }
  result.params = params_at(best);
  result.best_objective = best_f;
  for (const Evaluation& e : result.evaluations) {
    if (e.objective == best_f) {
      result.best_standard_error = e.standard_error;
      break;
    }
  }
  for (std::size_t d : active) {
    ParameterRange range{box[d].name, search_value(result.params, box[d].name), kInfinity, -kInfinity};
    for (const Evaluation& e : result.evaluations) {
      if (e.objective < best_f - 2.0 * result.best_standard_error) continue;
      range.low = std::min(range.low, e.values[d]);
      range.high = std::max(range.high, e.values[d]);
    }
    result.uncertainty.push_back(range);
  }
  result.objective = options.pattern_weight > 0
                         ? fmt::format("mean of FoM - {} x pattern mismatch over {} runs", options.pattern_weight,
                                       options.runs_per_evaluation)
                         : fmt::format("mean Figure of Merit of {} runs", options.runs_per_evaluation);
  result.grid_evaluations = std::pow(std::round(1.0 / smallest_step) + 1.0, static_cast<double>(active.size()));

  // 3. Prediction of the last date from the one before.
  progress.check(0.9, "predicting the last date");
  const std::size_t last = p.maps.size() - 1;
  const sim::SimulationInput predict_input = p.input(last - 1, last, result.problems);
  sim::SimulationResult predicted = sim::simulate(predict_input, result.params, options.seed, 0);
  for (Problem& pr : predicted.problems) result.problems.push_back(std::move(pr));
  result.validation =
      metrics::validate_simulation(view(p.maps[last - 1]), view(p.maps[last]), view(predicted.final_classes));
  result.predicted = std::move(predicted.final_classes);
  result.validation_in_sample = last <= 2;
  if (result.validation_in_sample) {
    result.problems.push_back(Problem{Severity::warning, "calibrate.in_sample",
                                      fmt::format("only {} dates: the prediction of {} is validated on the interval "
                                                  "the parameters were tuned on (in-sample); add a date for an "
                                                  "independent validation",
                                                  p.maps.size(), p.years[last]),
                                      Context{.key = "series.maps"}});
  }
  progress.check(1.0, "calibrated");
  return result;
}

std::string scenario_fragment_toml(const CalibrationResult& result) {
  std::ostringstream out;
  out << "# parksim calibration: suitability fitted on " << result.fitted.first << "-" << result.fitted.second
      << ", simulation tuned on " << result.tuned_on.first << "-" << result.tuned_on.second << ", validated on "
      << result.validated_on.first << "-" << result.validated_on.second
      << (result.validation_in_sample ? " (in-sample)" : "") << "\n";
  out << "# search: " << result.evaluations.size() << " evaluations (the grid at the same resolution: "
      << fmt::format("{:.0f}", result.grid_evaluations) << "), objective (" << result.objective << ") "
      << toml_number(result.best_objective) << "\n";
  out << "# tuned: ";
  for (std::size_t i = 0; i < result.tuned.size(); ++i) out << (i ? ", " : "") << result.tuned[i];
  out << "\n\n[sim]\n";
  const sim::Params& p = result.params;
  out << "neighbourhood_weight = " << toml_number(p.neighbourhood_weight) << "\n";
  out << "inertia_adaptation = " << toml_number(p.inertia_adaptation) << "\n";
  out << "patch_share = " << toml_number(p.patch_share) << "\n";
  out << "patch_size_mean_cells = " << toml_number(p.patch_size_mean_cells) << "\n";
  out << "patch_size_sd_cells = " << toml_number(p.patch_size_sd_cells) << "\n";
  out << "selection_exponent = " << toml_number(p.selection_exponent) << "\n";
  if (!p.patch_sizes_cells.empty()) {
    out << "# the sizes of the " << result.observed_growth.new_patch_sizes.size() << " new patches of " << result.fitted.first
        << "-" << result.fitted.second << " (" << result.observed_growth.new_patch_cells << " of "
        << result.observed_growth.new_cells << " new cells)\n";
    out << "patch_sizes_cells = [";
    for (std::size_t i = 0; i < p.patch_sizes_cells.size(); ++i) out << (i ? ", " : "") << p.patch_sizes_cells[i];
    out << "]\n";
  }
  out << "\n[suitability]\nmode = \"given\"\n";
  for (const ClassFit& f : result.fits) {
    if (f.boosted) {
      out << "\n# class " << f.class_id << ": boosted trees (a model file, not coefficients)\n";
      continue;
    }
    out << "\n# class " << f.class_id << ": " << f.changed_cells << " cells changed to it, training AUC "
        << toml_number(f.training_auc) << "; standard errors (per sd):";
    for (Eigen::Index j = 0; j < f.model.standard_errors.size(); ++j) {
      out << " " << toml_number(f.model.standard_errors[j]);
    }
    const std::string name = f.class_id < static_cast<int>(result.class_keys.size())
                                 ? result.class_keys[static_cast<std::size_t>(f.class_id)]
                                 : fmt::format("class_{}", f.class_id);
    out << "\n[suitability.coefficients." << name << "]\n";
    for (const auto& [name, value] : f.raw_coefficients) out << toml_key(name) << " = " << toml_number(value) << "\n";
  }
  return out.str();
}

std::string growth_summary(const CalibrationResult& result) {
  auto describe = [](const metrics::GrowthPatches& g, int runs) {
    const auto& v = g.new_patch_sizes;
    if (v.empty()) return fmt::format("{:.0f} % at the edges of existing patches, no new patch", 100.0);
    auto q = [&](double f) { return v[static_cast<std::size_t>(f * static_cast<double>(v.size() - 1))]; };
    return fmt::format("{:.0f} % at the edges of existing patches, {:.0f} % in {} new patches{} (cells: median {}, "
                       "quartiles {}-{}, largest {})",
                       100.0 * (1.0 - g.new_patch_share()), 100.0 * g.new_patch_share(),
                       runs > 1 ? fmt::format("{:.0f}", static_cast<double>(v.size()) / runs) : std::to_string(v.size()),
                       runs > 1 ? fmt::format(" per run ({} runs)", runs) : std::string(), q(0.5), q(0.25), q(0.75),
                       v.back());
  };
  std::string out = fmt::format("  observed {}-{}: {}\n", result.fitted.first, result.fitted.second,
                                describe(result.observed_growth, 1));
  if (result.simulated_growth.new_cells > 0) {
    out += fmt::format("  simulated (patch_share {:.3f}, observed sizes x {:.2f}): {}; KS distance of the sizes {:.3f}\n",
                       result.params.patch_share, result.patch_size_scale,
                       describe(result.simulated_growth, result.simulated_growth_runs),
                       metrics::ks_distance(result.simulated_growth.new_patch_sizes,
                                            result.observed_growth.new_patch_sizes));
  }
  return out;
}

std::string metrics_csv(const CalibrationResult& result) {
  std::ostringstream out;
  out << "id,scope,class_code,label,unit,value\n";
  auto row = [&](const std::string& id, const std::string& scope, const std::optional<std::uint8_t>& code,
                 const std::string& label, const std::string& unit, double value) {
    out << io::csv_cell(id) << "," << io::csv_cell(scope) << "," << (code ? std::to_string(*code) : std::string()) << ","
        << io::csv_cell(label) << "," << io::csv_cell(unit) << "," << toml_number(value) << "\n";
  };
  for (const metrics::MetricRow& r : result.validation.to_rows()) {
    row(r.id, r.scope, r.class_code, r.label_en, r.unit, r.value);
  }
  row("evaluations", "calibration", std::nullopt, "Search evaluations", "count",
      static_cast<double>(result.evaluations.size()));
  row("grid_evaluations", "calibration", std::nullopt, "Grid evaluations at the same resolution", "count",
      result.grid_evaluations);
  row("best_objective", "calibration", std::nullopt, "Tuning Figure of Merit", "fraction", result.best_objective);
  row("best_objective_standard_error", "calibration", std::nullopt, "Standard error of the tuning Figure of Merit",
      "fraction", result.best_standard_error);
  row("validation_in_sample", "calibration", std::nullopt, "Validation in-sample", "boolean",
      result.validation_in_sample ? 1.0 : 0.0);
  for (const ParameterRange& r : result.uncertainty) {
    row(r.name + "_low", "calibration", std::nullopt, r.name + ": lowest value within the objective's noise", "",
        r.low);
    row(r.name + "_high", "calibration", std::nullopt, r.name + ": highest value within the objective's noise", "",
        r.high);
  }
  return out.str();
}

void write_scenario_fragment(const CalibrationResult& result, const std::filesystem::path& dir, bool overwrite) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::output, "cannot create the folder: " + ec.message(), Context{.path = dir.string()});
  const std::filesystem::path toml = dir / "calibration.toml";
  const std::filesystem::path csv = dir / "calibration_metrics.csv";
  if (!overwrite) {
    for (const auto& f : {toml, csv}) {
      if (std::filesystem::exists(f)) {
        throw Error(ErrorCode::output_exists, "output exists (use --overwrite)", Context{.path = f.string()});
      }
    }
  }
  io::atomic_write_text(toml, scenario_fragment_toml(result), overwrite);
  io::atomic_write_text(csv, metrics_csv(result), overwrite);
}

}  // namespace parksim::calibrate
