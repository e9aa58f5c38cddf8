// GEOS and PROJ from several threads at once: per-thread contexts, identical results.

#include <numbers>
#include <thread>

#include <gtest/gtest.h>

#include "geom/coverage.hpp"
#include "geom/crs.hpp"
#include "geom/index.hpp"
#include "geom/validity.hpp"
#include "shapes.hpp"

namespace parksim::geom {
namespace {

struct Outcome {
  std::vector<double> numbers;
  std::vector<std::vector<std::uint8_t>> wkbs;
  std::size_t problems = 0;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

// A mixed GEOS + PROJ workload. `shared_transformer` and `shared_zone` are used by every thread at once.
Outcome workload(const Transformer& shared_transformer, const Geometry& shared_zone) {
  Outcome out;
  std::vector<Geometry> cells;
  for (int j = 0; j < 12; ++j)
    for (int i = 0; i < 12; ++i) cells.push_back(test::square(437'000.0 + i * 100.0, 4'439'000.0 + j * 100.0, 100.0));
  const Geometry all = unary_union(cells);
  out.numbers.push_back(area(all));
  const Geometry clipped = intersection(all, shared_zone);
  out.numbers.push_back(area(clipped));
  out.wkbs.push_back(clipped.to_wkb());
  out.wkbs.push_back(buffer(shared_zone, 25.0).to_wkb());

  const StrTree tree(cells);
  const PreparedGeometry zone(shared_zone);
  for (std::size_t id : tree.query(shared_zone.envelope()))
    if (zone.intersects(cells[id])) out.numbers.push_back(static_cast<double>(id));

  const RepairResult fixed = repair(Geometry::from_wkt("POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"));
  out.numbers.push_back(area(fixed.geometry));

  ProblemReporter problems;
  cells[5] = test::square(437'450.0, 4'439'000.0, 100.0);  // overlaps its neighbours
  std::vector<CoverageItem> items;
  for (std::size_t i = 0; i < cells.size(); ++i) items.push_back({static_cast<std::int64_t>(i), "", &cells[i]});
  check_coverage(items, {}, problems);
  out.problems = problems.size();

  // PROJ: a private transformer and the shared one.
  const Transformer mine(Crs::from_epsg(4548), Crs::from_epsg(4490));
  const Geometry lonlat = mine.transform(clipped);
  out.wkbs.push_back(lonlat.to_wkb());
  out.numbers.push_back(geodesic_area_m2(lonlat));
  for (int k = 0; k < 200; ++k) {
    const Coordinate c = shared_transformer.transform(116.25 + k * 1e-4, 40.05 + k * 1e-4);
    out.numbers.push_back(c.x);
    out.numbers.push_back(c.y);
  }
  return out;
}

TEST(GeomThreads, geos_and_proj_from_two_threads_give_identical_results) {
  const Transformer shared(Crs::from_epsg(4326), Crs::from_epsg(4548));
  const Geometry zone = Geometry::from_wkt(
      "POLYGON ((437150 4439120, 437980 4439050, 438100 4439900, 437300 4440050, 437150 4439120))");
  const Outcome reference = workload(shared, zone);
  ASSERT_GT(reference.problems, 0u);
  ASSERT_GT(reference.numbers.size(), 400u);

  std::vector<Outcome> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int repeat = 0; repeat < 3; ++repeat) {
        Outcome o = workload(shared, zone);
        if (repeat == 0) results[t] = std::move(o);
        else if (!(o == results[t])) results[t].problems = 999'999;  // flags a run-to-run difference
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_TRUE(results[0] == reference);
  EXPECT_TRUE(results[1] == reference);
}

TEST(GeomThreads, errors_in_one_thread_do_not_leak_into_another) {
  std::string message_a, message_b;
  std::thread a([&] {
    try {
      Geometry::from_wkt("POLYGON ((");
    } catch (const Error& e) {
      message_a = e.message();
    }
  });
  std::thread b([&] {
    try {
      Crs::from_user_input("EPSG:123456789");
    } catch (const Error& e) {
      message_b = e.message();
    }
  });
  a.join();
  b.join();
  EXPECT_NE(message_a.find("read WKT"), std::string::npos);
  EXPECT_NE(message_b.find("EPSG:123456789"), std::string::npos);
  EXPECT_EQ(message_a.find("EPSG"), std::string::npos);
  // This thread's context saw no error, so a fresh failure carries only its own message.
  try {
    Geometry::from_wkb(std::vector<std::uint8_t>{1, 2});
  } catch (const Error& e) {
    EXPECT_EQ(e.message().find("read WKT"), std::string::npos);
  }
}

TEST(GeomThreads, geometries_outlive_and_cross_the_thread_that_made_them) {
  Geometry carried;
  std::thread maker([&carried] {
    // Constructed (null) before this thread's GEOS context exists, assigned after: destroyed after the
    // context at thread exit, which must still free it cleanly (ASan checks this).
    thread_local Geometry kept_until_thread_exit;
    kept_until_thread_exit = test::square(0, 0, 3);
    carried = buffer(test::square(0, 0, 10), 1.0);
  });
  maker.join();
  // Made by a thread that has ended; used and freed here.
  EXPECT_NEAR(area(carried), 144.0 - (4.0 - std::numbers::pi), 0.05);
}

}  // namespace
}  // namespace parksim::geom
