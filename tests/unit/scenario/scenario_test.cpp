#include "scenario/scenario.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "scenario/schema.hpp"

namespace parksim::scenario {
namespace {

namespace fs = std::filesystem;

class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("parksim_scenario_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = m_dir / name;
    std::ofstream(p) << text;
    return p;
  }
  // The Error a load throws, or a test failure.
  Error load_error(const fs::path& p) {
    try {
      Scenario::load(p);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error loading " << p;
    return Error(ErrorCode::internal, "none");
  }
  fs::path m_dir;
};

TEST_F(ScenarioFiles, defaults_are_resolved_into_the_effective_scenario) {
  const auto s = Scenario::load(write("a.toml", "name = \"a\"\n"));
  EXPECT_EQ(s.name(), "a");
  EXPECT_DOUBLE_EQ(s.get_real("grid.cell_size_m"), 30.0);
  EXPECT_FALSE(s.has("years.end"));  // no default: a run needs it (or --end)
  EXPECT_EQ(s.get_text("grid.extent"), "auto");
  EXPECT_EQ(s.get_path("geodata.path"), "");  // no plan dataset unless the scenario names one
  EXPECT_TRUE(s.get_bool("outputs.report"));
  EXPECT_NE(s.to_toml().find("cell_size_m = 30"), std::string::npos);
}

TEST_F(ScenarioFiles, unknown_key_names_file_line_and_suggests_the_right_key) {
  const auto p = write("typo.toml", "name = \"t\"\n\n[grid]\ncell_sise_m = 50\n");
  const Error e = load_error(p);
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().line, 4);
  EXPECT_EQ(e.context().key, "grid.cell_sise_m");
  EXPECT_NE(std::string(e.what()).find("typo.toml:4: 'grid.cell_sise_m': unknown key; did you mean 'grid.cell_size_m'?"),
            std::string::npos)
      << e.what();
}

TEST_F(ScenarioFiles, wrong_type_is_an_error_naming_the_expected_type) {
  const Error e = load_error(write("t.toml", "name = \"t\"\nseed = \"forty-two\"\n"));
  EXPECT_EQ(e.context().line, 2);
  EXPECT_NE(std::string(e.what()).find("must be integer, got a string"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, out_of_range_value_states_the_bounds_and_unit) {
  const Error e = load_error(write("r.toml", "name = \"r\"\n[grid]\ncell_size_m = -10.0\n"));
  EXPECT_NE(std::string(e.what()).find("must be between 0.01 and 100000 m, got -10"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, text_choice_lists_the_allowed_values) {
  const Error e = load_error(write("c.toml", "name = \"c\"\n[grid]\nextent = \"city\"\n"));
  EXPECT_NE(std::string(e.what()).find("must be one of \"auto\", \"map\", \"explicit\", \"park\", \"corridor\", got \"city\""), std::string::npos)
      << e.what();
}

TEST_F(ScenarioFiles, invalid_toml_reports_the_line) {
  const Error e = load_error(write("bad.toml", "name = \"x\"\nseed = = 3\n"));
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().line, 2);
  EXPECT_NE(std::string(e.what()).find("not valid TOML"), std::string::npos);
}

TEST_F(ScenarioFiles, missing_file_is_an_input_error_naming_it) {
  const Error e = load_error(m_dir / "nope.toml");
  EXPECT_EQ(e.code(), ErrorCode::input);
  EXPECT_NE(std::string(e.what()).find("nope.toml: scenario file not found"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, name_is_required) {
  const Error e = load_error(write("noname.toml", "seed = 3\n"));
  EXPECT_EQ(e.context().key, "name");
}

TEST_F(ScenarioFiles, extends_overrides_only_the_keys_it_sets) {
  write("base.toml", "name = \"base\"\nseed = 7\n[grid]\ncell_size_m = 50.0\nextent = \"park\"\n");
  const auto s = Scenario::load(write("child.toml", "extends = \"base.toml\"\nname = \"child\"\n[grid]\ncell_size_m = 25.0\n"));
  EXPECT_EQ(s.name(), "child");
  EXPECT_EQ(s.get_int("seed"), 7);
  EXPECT_DOUBLE_EQ(s.get_real("grid.cell_size_m"), 25.0);
  EXPECT_EQ(s.get_text("grid.extent"), "park");
  ASSERT_EQ(s.files().size(), 2u);
  EXPECT_EQ(s.files().front().filename(), "base.toml");
  EXPECT_EQ(s.where("seed"), (m_dir / "base.toml").string() + ":2");
  EXPECT_EQ(s.where("grid.cell_size_m"), (m_dir / "child.toml").string() + ":4");
  EXPECT_EQ(s.to_toml().find("extends"), std::string::npos);
}

TEST_F(ScenarioFiles, an_error_in_the_base_file_points_into_the_base_file) {
  write("base.toml", "name = \"base\"\nrunz = 3\n");
  const Error e = load_error(write("child.toml", "extends = \"base.toml\"\n"));
  EXPECT_EQ(fs::path(e.context().path).filename(), "base.toml");
  EXPECT_EQ(e.context().line, 2);
}

TEST_F(ScenarioFiles, extends_cycle_is_refused) {
  write("a.toml", "extends = \"b.toml\"\nname = \"a\"\n");
  write("b.toml", "extends = \"a.toml\"\nname = \"b\"\n");
  const Error e = load_error(m_dir / "a.toml");
  EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, missing_base_file_names_the_extends_line) {
  const Error e = load_error(write("x.toml", "name = \"x\"\nextends = \"missing.toml\"\n"));
  EXPECT_EQ(e.context().key, "extends");
  EXPECT_EQ(e.context().line, 2);
}

TEST_F(ScenarioFiles, relative_paths_resolve_against_the_file_that_set_them) {
  fs::create_directories(m_dir / "sub");
  write("base.toml", "name = \"base\"\n[geodata]\npath = \"data/park.gpkg\"\n");
  const auto s = Scenario::load(write("sub/child.toml", "extends = \"../base.toml\"\nname = \"c\"\n"));
  EXPECT_EQ(s.get_path("geodata.path"), (m_dir / "data/park.gpkg").lexically_normal());
}

TEST_F(ScenarioFiles, a_folder_given_as_the_scenario_is_an_input_error_saying_so) {
  const Error e = load_error(m_dir);
  EXPECT_EQ(e.code(), ErrorCode::input);
  EXPECT_EQ(e.context().path, m_dir.string());
  EXPECT_NE(std::string(e.what()).find("is a folder, not a scenario file"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, a_device_given_as_the_scenario_is_refused_without_reading_it) {
  const Error e = load_error("/dev/zero");
  EXPECT_EQ(e.code(), ErrorCode::input);
  EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, a_scenario_file_larger_than_the_cap_is_refused) {
  const fs::path big = m_dir / "big.toml";
  {
    std::ofstream out(big);
    out << "name = \"big\"\n";
    const std::string comment = "# " + std::string(1022, 'x') + "\n";
    for (int i = 0; i < 5 * 1024; ++i) out << comment;  // 5 MiB of comments
  }
  const Error e = load_error(big);
  EXPECT_EQ(e.code(), ErrorCode::input);
  EXPECT_NE(std::string(e.what()).find("larger than a scenario file may be (4.0 MiB)"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, extends_to_a_folder_is_a_config_error_at_its_line) {
  const auto p = write("w.toml", "name = \"w\"\nextends = \".\"\n");
  const Error e = load_error(p);
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "extends");
  EXPECT_EQ(e.context().line, 2);
  EXPECT_NE(std::string(e.what()).find("'.' is a folder"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, extends_to_a_device_is_refused_without_reading_it) {
  const auto p = write("z.toml", "name = \"z\"\nextends = \"/dev/zero\"\n");
  const Error e = load_error(p);
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().key, "extends");
  EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
}

TEST(ScenarioSchema, declares_which_keys_are_file_paths) {
  std::vector<std::string> paths;
  for (const auto& spec : scenario_schema().keys()) {
    if (!spec.path) continue;
    paths.push_back(spec.key);
    EXPECT_EQ(spec.kind, ValueKind::text) << spec.key;
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"geodata.path", "geodata.mapping", "study.maps.*", "study.mask", "study.exclusion",
                                            "classes.file", "suitability.model_files.*", "drivers.*.source",
                                            "drivers.*.source.*", "demand.previous_map", "answer.compare_with"}));
  const auto s = Scenario::parse("name = \"n\"\n", "/tmp/x.toml");
  try {
    (void)s.get_path("name");
    FAIL() << "get_path of a text key that is not a path";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::usage);
    EXPECT_NE(std::string(e.what()).find("'name' is not a file path key"), std::string::npos) << e.what();
  }
}

TEST_F(ScenarioFiles, wildcard_tables_and_table_arrays_are_validated) {
  const auto s = Scenario::load(write("w.toml",
      "name = \"w\"\n[phases.open_year]\n\"1-2\" = 2001\n\"3\" = 2025\n"
      "[[infrastructure]]\nyear = 2029\nlayer = \"stations\"\nwhere = \"line = '19'\"\n"));
  EXPECT_EQ(s.child_keys("phases.open_year"), (std::vector<std::string>{"1-2", "3"}));
  EXPECT_EQ(s.get_int("phases.open_year.3"), 2025);
  EXPECT_EQ(s.array_size("infrastructure"), 1u);
  EXPECT_EQ(s.get_int("infrastructure[0].year"), 2029);

  const Error e = load_error(write("w2.toml", "name = \"w\"\n[[infrastructure]]\nyeer = 2029\n"));
  EXPECT_EQ(e.context().key, "infrastructure[0].yeer");
  EXPECT_NE(std::string(e.what()).find("did you mean 'infrastructure[].year'"), std::string::npos) << e.what();
}

TEST_F(ScenarioFiles, lists_are_checked_element_by_element) {
  const auto s = Scenario::load(write("l.toml", "name = \"l\"\n[outputs]\nformats = [\"shp\", \"fgb\"]\nkey_years = [2030]\n"));
  EXPECT_EQ(s.get_text_list("outputs.formats"), (std::vector<std::string>{"shp", "fgb"}));
  EXPECT_EQ(s.get_int_list("outputs.key_years"), (std::vector<std::int64_t>{2030}));
  const Error e = load_error(write("l2.toml", "name = \"l\"\n[outputs]\nformats = [\"shp\", \"kml\"]\n"));
  EXPECT_EQ(e.context().key, "outputs.formats[1]");
}

TEST_F(ScenarioFiles, end_year_before_start_year_is_refused) {
  const Error e = load_error(write("y.toml", "name = \"y\"\n[years]\nstart = 2030\nend = 2028\n"));
  EXPECT_EQ(e.context().key, "years.end");
  EXPECT_EQ(e.context().line, 4);
}

TEST(Scenario, set_validates_like_a_file_value) {
  auto s = Scenario::parse("name = \"p\"\n", "p.toml");
  s.set("grid.cell_size_m", 60.0);
  EXPECT_DOUBLE_EQ(s.get_real("grid.cell_size_m"), 60.0);
  s.set("phases.open_year.3", std::int64_t{2027});
  EXPECT_EQ(s.get_int("phases.open_year.3"), 2027);
  EXPECT_THROW(s.set("grid.cell_size_m", 1e6), Error);
  EXPECT_THROW(s.set("grid.cell_size_m", std::string("big")), Error);
  EXPECT_THROW(s.set("grid.no_such", 1.0), Error);
}

TEST(Scenario, copies_are_independent_and_effective_text_is_deterministic) {
  const auto a = Scenario::parse("name = \"p\"\nseed = 5\n", "p.toml");
  auto b = a;
  b.set("seed", std::int64_t{6});
  EXPECT_EQ(a.get_int("seed"), 5);
  EXPECT_EQ(b.get_int("seed"), 6);
  EXPECT_EQ(a.to_toml(), Scenario::parse("seed = 5\nname = \"p\"\n", "q.toml").to_toml());
  EXPECT_NE(a.to_json().find("\"seed\" : 5"), std::string::npos) << a.to_json();
}

}  // namespace
TEST_F(ScenarioFiles, a_hinge_term_keeps_its_knot_decimal_point_in_files_and_in_set) {
  // A spline fit writes coefficients of hinge terms "driver>knot"; the knot's '.' is not a table separator.
  auto s = Scenario::load(write("h.toml",
                                "name = \"h\"\n[suitability]\nmode = \"given\"\n[suitability.coefficients.urban]\n"
                                "intercept = -2.0\n\"dist_urban_m>632.85\" = 0.25\n"));
  EXPECT_EQ(s.child_keys("suitability.coefficients.urban"),
            (std::vector<std::string>{"dist_urban_m>632.85", "intercept"}));
  EXPECT_DOUBLE_EQ(s.get_real("suitability.coefficients.urban.dist_urban_m>632.85"), 0.25);
  s.set("suitability.coefficients.urban.slope_deg>2.5", 1.5);
  EXPECT_DOUBLE_EQ(s.get_real("suitability.coefficients.urban.slope_deg>2.5"), 1.5);
  EXPECT_NE(s.to_toml().find("'slope_deg>2.5' = 1.5"), std::string::npos) << s.to_toml();
  s.remove("suitability.coefficients.urban.dist_urban_m>632.85");
  EXPECT_FALSE(s.has("suitability.coefficients.urban.dist_urban_m>632.85"));
  EXPECT_TRUE(s.has("suitability.coefficients.urban.slope_deg>2.5"));
}

}  // namespace parksim::scenario
