#include "sim/ensemble.hpp"

#include <atomic>
#include <mutex>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "core/error.hpp"

namespace parksim::sim {

namespace {
constexpr std::uint64_t kMaxRuns = 65'535;
}

double EnsembleResult::probability(int cls, std::int64_t cell) const {
  const std::int64_t cells = spec.cell_count();
  return runs == 0 ? 0.0
                   : static_cast<double>(class_counts[static_cast<std::size_t>(cls * cells + cell)]) /
                         static_cast<double>(runs);
}

grid::Grid<float> EnsembleResult::probability_grid(int cls) const {
  grid::Grid<float> out(spec, 0.0f);
  const std::int64_t cells = spec.cell_count();
  for (std::int64_t i = 0; i < cells; ++i) out[i] = static_cast<float>(probability(cls, i));
  return out;
}

std::vector<std::uint64_t> EnsembleResult::phase_full_histogram(int phase) const {
  std::vector<std::uint64_t> h(static_cast<std::size_t>(end_year - start_year + 2), 0);
  for (const std::vector<int>& run : phase_full_year) {
    const int y = run[static_cast<std::size_t>(phase)];
    ++h[y == not_filled ? h.size() - 1 : static_cast<std::size_t>(y - start_year)];
  }
  return h;
}

EnsembleResult run_ensemble(const SimulationInput& input, const Params& params, std::uint64_t seed,
                            std::uint64_t first_run, std::uint64_t n_runs, int threads, const Progress& progress,
                            const RunMeasure& measure) {
  if (n_runs == 0 || n_runs > kMaxRuns) {
    throw Error(ErrorCode::config, fmt::format("an ensemble needs 1 to {} runs, got {}", kMaxRuns, n_runs),
                Context{.key = "runs"});
  }
  if (threads < 1) {
    throw Error(ErrorCode::config, fmt::format("threads must be >= 1, got {}", threads), Context{.key = "threads"});
  }
  input.validate();
  params.validate(input.class_count);

  EnsembleResult result;
  result.seed = seed;
  result.first_run = first_run;
  result.runs = n_runs;
  result.class_count = input.class_count;
  result.start_year = input.start_year;
  result.end_year = input.end_year();
  result.spec = input.initial_classes.spec();
  const std::int64_t cells = result.spec.cell_count();
  result.class_counts.assign(static_cast<std::size_t>(cells * input.class_count), 0);
  result.phase_full_year.assign(n_runs, {});
  result.unmet_cells.assign(n_runs, 0);
  result.measures.assign(n_runs, {});
  std::vector<std::vector<Problem>> run_problems(n_runs);

  std::mutex counts_mutex;
  std::atomic<std::uint64_t> done{0};
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(std::uint64_t{0}, n_runs, [&](std::uint64_t r) {
      progress.throw_if_cancelled();
      SimulationResult one = simulate(input, params, seed, first_run + r);
      result.phase_full_year[r] = one.phase_full_year;
      if (measure) result.measures[r] = measure(one);
      for (const YearRecord& y : one.years) {
        for (std::int64_t u : y.unmet_cells) result.unmet_cells[r] += u;
      }
      for (Problem& p : one.problems) p.message = fmt::format("run {}: {}", first_run + r, p.message);
      run_problems[r] = std::move(one.problems);
      {
        // Integer counts: the sum is the same in whatever order the runs finish.
        const std::lock_guard lock(counts_mutex);
        const std::uint8_t* cls = one.final_classes.data();
        for (std::int64_t i = 0; i < cells; ++i) {
          if (cls[i] < input.class_count) ++result.class_counts[static_cast<std::size_t>(cls[i] * cells + i)];
        }
      }
      const std::uint64_t finished = ++done;
      progress.report(static_cast<double>(finished) / static_cast<double>(n_runs),
                      fmt::format("{} of {} runs", finished, n_runs));
    });
  });
  progress.throw_if_cancelled();
  for (std::vector<Problem>& p : run_problems) {
    result.problems.insert(result.problems.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
  }
  return result;
}

void merge(EnsembleResult& into, const EnsembleResult& next) {
  if (into.seed != next.seed || into.class_count != next.class_count || !(into.spec == next.spec) ||
      into.start_year != next.start_year || into.end_year != next.end_year) {
    throw Error(ErrorCode::config, "cannot merge ensembles of different seeds, grids, classes or years",
                Context{.key = "runs"});
  }
  if (next.first_run != into.first_run + into.runs) {
    throw Error(ErrorCode::config,
                fmt::format("cannot merge runs {}..{} after runs {}..{}: they must follow on", next.first_run,
                            next.first_run + next.runs - 1, into.first_run, into.first_run + into.runs - 1),
                Context{.key = "runs"});
  }
  if (into.runs + next.runs > kMaxRuns) {
    throw Error(ErrorCode::config, fmt::format("a merged ensemble holds at most {} runs", kMaxRuns),
                Context{.key = "runs"});
  }
  for (std::size_t i = 0; i < into.class_counts.size(); ++i) {
    into.class_counts[i] = static_cast<std::uint16_t>(into.class_counts[i] + next.class_counts[i]);
  }
  into.phase_full_year.insert(into.phase_full_year.end(), next.phase_full_year.begin(), next.phase_full_year.end());
  into.unmet_cells.insert(into.unmet_cells.end(), next.unmet_cells.begin(), next.unmet_cells.end());
  into.measures.insert(into.measures.end(), next.measures.begin(), next.measures.end());
  into.problems.insert(into.problems.end(), next.problems.begin(), next.problems.end());
  into.runs += next.runs;
}

}  // namespace parksim::sim
