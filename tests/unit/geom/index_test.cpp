#include "geom/index.hpp"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shapes.hpp"

namespace parksim::geom {
namespace {

using test::square;
using ::testing::ElementsAre;

std::vector<Geometry> grid(int n, double cell) {
  std::vector<Geometry> out;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) out.push_back(square(i * cell, j * cell, cell));
  return out;
}

TEST(StrTree, returns_ids_of_intersecting_envelopes_in_ascending_order) {
  const std::vector<Envelope> boxes{{0, 0, 1, 1}, {5, 5, 6, 6}, {0.5, 0.5, 2, 2}, {10, 10, 11, 11}, {1, 1, 3, 3}};
  const StrTree tree(boxes);
  EXPECT_EQ(tree.size(), 5u);
  EXPECT_THAT(tree.query({0.9, 0.9, 1.1, 1.1}), ElementsAre(0, 2, 4));
  EXPECT_THAT(tree.query({5.5, 5.5, 20, 20}), ElementsAre(1, 3));
  EXPECT_THAT(tree.query({6, 6, 7, 7}), ElementsAre(1));  // touching corner counts
  EXPECT_TRUE(tree.query({100, 100, 101, 101}).empty());
  EXPECT_TRUE(tree.query(Envelope{}).empty());
}

TEST(StrTree, matches_brute_force_on_a_grid) {
  const std::vector<Geometry> cells = grid(30, 100.0);
  const StrTree tree(cells);
  const Envelope box{250, 420, 610, 901};
  std::vector<std::size_t> expected;
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (cells[i].envelope().intersects(box)) expected.push_back(i);
  EXPECT_EQ(tree.query(box), expected);
  EXPECT_EQ(expected.size(), 5u * 6u);
}

TEST(StrTree, skips_empty_envelopes_and_handles_empty_input) {
  const std::vector<Envelope> boxes{{0, 0, 1, 1}, Envelope{}, {0, 0, 2, 2}};
  EXPECT_THAT(StrTree(boxes).query({0, 0, 5, 5}), ElementsAre(0, 2));
  const StrTree empty(std::span<const Envelope>{});
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_TRUE(empty.query({0, 0, 1, 1}).empty());
}

TEST(StrTree, concurrent_queries_after_construction_agree) {
  const std::vector<Geometry> cells = grid(40, 10.0);
  const StrTree tree(cells);
  std::vector<std::vector<std::size_t>> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::size_t> all;
      for (int k = 0; k < 200; ++k) {
        const auto ids = tree.query({k * 1.0, k * 1.5, k * 1.0 + 25, k * 1.5 + 25});
        all.insert(all.end(), ids.begin(), ids.end());
      }
      results[t] = std::move(all);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_FALSE(results[0].empty());
  EXPECT_EQ(results[0], results[1]);
}

TEST(PreparedGeometry, answers_like_the_plain_predicates) {
  const Geometry zone = Geometry::from_wkt("POLYGON ((0 0, 300 50, 250 300, 20 250, 0 0))");
  const PreparedGeometry prepared(zone);
  int inside = 0, crossing = 0;
  for (const Geometry& cell : grid(35, 10.0)) {
    EXPECT_EQ(prepared.intersects(cell), intersects(zone, cell));
    EXPECT_EQ(prepared.contains(cell), contains(zone, cell));
    EXPECT_EQ(prepared.covers(cell), covers(zone, cell));
    EXPECT_EQ(prepared.within(cell), within(zone, cell));
    inside += prepared.contains(cell) ? 1 : 0;
    crossing += prepared.intersects(cell) && !prepared.contains(cell) ? 1 : 0;
  }
  EXPECT_GT(inside, 100);   // the test exercises both outcomes
  EXPECT_GT(crossing, 20);
  EXPECT_TRUE(PreparedGeometry(square(1, 1, 1)).within(zone));
}

TEST(PreparedGeometry, survives_being_moved) {
  PreparedGeometry a(square(0, 0, 10));
  PreparedGeometry b = std::move(a);
  EXPECT_TRUE(b.contains(square(1, 1, 1)));
  EXPECT_DOUBLE_EQ(area(b.geometry()), 100.0);
}

}  // namespace
}  // namespace parksim::geom
