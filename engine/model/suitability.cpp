#include "model/suitability.hpp"

#include <algorithm>
#include <cmath>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/rng.hpp"

namespace parksim::model {
namespace {

constexpr ParamInfo kSampleInfo[] = {
    {"cells_per_group", "cells", 5000, "training cells drawn from the changed and from the unchanged cells each", 1,
     1e9},
    {"seed", "1", 1, "seed of the training-sample random stream", 0, 1.8446744073709552e19},
};

// Chooses min(k, pool.size()) elements without replacement (partial Fisher-Yates), returned ascending.
std::vector<std::int64_t> choose(std::vector<std::int64_t> pool, std::int64_t k, RngStream& rng) {
  const auto n = static_cast<std::int64_t>(pool.size());
  const std::int64_t m = std::min(k, n);
  for (std::int64_t i = 0; i < m; ++i) {
    const auto j = i + static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(n - i)));
    std::swap(pool[static_cast<std::size_t>(i)], pool[static_cast<std::size_t>(j)]);
  }
  pool.resize(static_cast<std::size_t>(m));
  std::sort(pool.begin(), pool.end());
  return pool;
}

// Evaluates the model row by row; `store(flat, p)` writes one cell.
template <class Store>
void evaluate(const DriverSet& drivers, const LogisticModel& model, const grid::Grid<std::uint8_t>* mask,
              const Store& store) {
  const grid::GridSpec& spec = drivers.spec();
  if (mask) grid::require_same_spec(spec, mask->spec(), "suitability mask");
  std::vector<const float*> columns;
  for (const std::string& n : model.names) columns.push_back(drivers.values(drivers.index_of(n)).data());
  const auto k = columns.size();
  tbb::parallel_for(tbb::blocked_range<int>(0, spec.rows, 8), [&](const tbb::blocked_range<int>& range) {
    for (int r = range.begin(); r < range.end(); ++r) {
      for (int c = 0; c < spec.cols; ++c) {
        const std::int64_t i = spec.flat_index(r, c);
        if (mask && (*mask)[i] == 0) {
          store(i, 0.0);
          continue;
        }
        double eta = model.coefficients[0];
        for (std::size_t j = 0; j < k; ++j) {
          const auto jj = static_cast<Eigen::Index>(j);
          eta += model.coefficients[jj + 1] * ((columns[j][i] - model.driver_mean[jj]) / model.driver_sd[jj]);
        }
        const double p = eta >= 0.0 ? 1.0 / (1.0 + std::exp(-eta)) : std::exp(eta) / (1.0 + std::exp(eta));
        store(i, p);
      }
    }
  });
}

}  // namespace

std::span<const ParamInfo> TrainingSampleParams::info() { return kSampleInfo; }

TrainingSample sample_training_cells(const grid::Grid<std::uint8_t>& before, const grid::Grid<std::uint8_t>& after,
                                     std::uint8_t target_class, const grid::Grid<std::uint8_t>* eligible,
                                     const TrainingSampleParams& params) {
  grid::require_same_spec(before.spec(), after.spec(), "training sample maps");
  if (eligible) grid::require_same_spec(before.spec(), eligible->spec(), "training sample eligibility mask");
  std::vector<std::int64_t> changed;
  std::vector<std::int64_t> unchanged;
  for (std::int64_t i = 0; i < before.size(); ++i) {
    if (before[i] == target_class || (eligible && (*eligible)[i] == 0)) continue;
    (after[i] == target_class ? changed : unchanged).push_back(i);
  }
  TrainingSample s;
  s.changed_available = static_cast<std::int64_t>(changed.size());
  s.unchanged_available = static_cast<std::int64_t>(unchanged.size());
  RngStream rng(params.seed, "model.training_sample", target_class);
  const auto pos = choose(std::move(changed), params.cells_per_group, rng);
  const auto neg = choose(std::move(unchanged), params.cells_per_group, rng);
  // Merge in ascending cell order.
  s.cells.reserve(pos.size() + neg.size());
  s.labels.reserve(pos.size() + neg.size());
  std::size_t a = 0, b = 0;
  while (a < pos.size() || b < neg.size()) {
    if (b == neg.size() || (a < pos.size() && pos[a] < neg[b])) {
      s.cells.push_back(pos[a++]);
      s.labels.push_back(1);
    } else {
      s.cells.push_back(neg[b++]);
      s.labels.push_back(0);
    }
  }
  return s;
}

SuitabilityFit fit_suitability(const DriverSet& drivers, const TrainingSample& sample,
                               const LogisticFitOptions& options) {
  const Eigen::MatrixXd x = drivers.sample(sample.cells);
  Eigen::VectorXd y(static_cast<Eigen::Index>(sample.labels.size()));
  for (std::size_t i = 0; i < sample.labels.size(); ++i) y[static_cast<Eigen::Index>(i)] = sample.labels[i] ? 1.0 : 0.0;
  const auto k = static_cast<Eigen::Index>(drivers.size());
  Eigen::VectorXd mean(k), sd(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    mean[j] = drivers.mean(static_cast<std::size_t>(j));
    sd[j] = drivers.sd(static_cast<std::size_t>(j));
  }
  SuitabilityFit fit;
  fit.model = fit_logistic(x, y, drivers.names(), options, &mean, &sd);
  const Eigen::VectorXd p = predict(fit.model, x);
  fit.training_auc = auc(std::span<const double>(p.data(), static_cast<std::size_t>(p.size())), sample.labels);
  fit.contributions = contributions(fit.model, x);
  return fit;
}

grid::Grid<float> suitability_map(const DriverSet& drivers, const LogisticModel& model,
                                  const grid::Grid<std::uint8_t>* mask) {
  grid::Grid<float> out(drivers.spec(), 0.0f);
  evaluate(drivers, model, mask, [&](std::int64_t i, double p) { out[i] = static_cast<float>(p); });
  return out;
}

const std::vector<std::string>& terms_of(const PotentialModel& model) {
  if (const auto* logistic = std::get_if<LogisticModel>(&model)) return logistic->names;
  return std::get<BoostedTrees>(model).names();
}

grid::Grid<float> potential_map(const DriverSet& drivers, const PotentialModel& model,
                                const grid::Grid<std::uint8_t>* mask) {
  if (const auto* logistic = std::get_if<LogisticModel>(&model)) return suitability_map(drivers, *logistic, mask);
  return std::get<BoostedTrees>(model).predict(drivers, mask);
}

grid::Grid<std::uint16_t> suitability_map_u16(const DriverSet& drivers, const LogisticModel& model,
                                              const grid::Grid<std::uint8_t>* mask) {
  grid::Grid<std::uint16_t> out(drivers.spec(), 0);
  evaluate(drivers, model, mask, [&](std::int64_t i, double p) { out[i] = probability_to_u16(p); });
  return out;
}

}  // namespace parksim::model
