#include "study/study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/units.hpp"
#include "geom/crs.hpp"
#include "io/raster.hpp"
#include "io/vector.hpp"
#include "study/layers.hpp"
#include "study/plan_grids.hpp"

namespace parksim::study {

namespace fs = std::filesystem;

namespace {

Context with_path(Context where, const fs::path& path) {
  where.path = path.string();
  return where;
}

std::string describe(const grid::GridSpec& g) {
  std::string cells = g.square_cells() ? fmt::format("{} m", g.cell_size_m)
                                       : fmt::format("{} x {} m", g.cell_size_m, g.cell_height());
  return fmt::format("{} columns x {} rows of {} cells from ({}, {}) to ({}, {})", g.cols, g.rows, cells, g.min_x(),
                     g.min_y(), g.max_x(), g.max_y());
}

// The CRS of a grid for a command line: "EPSG:n", else a PROJ string, else quoted WKT.
std::string crs_argument(const std::string& crs) {
  if (crs.empty()) return {};
  if (crs.rfind("EPSG:", 0) == 0) return crs;
  try {
    const geom::Crs c = geom::Crs::from_user_input(crs);
    if (c.epsg()) return fmt::format("EPSG:{}", *c.epsg());
    if (!c.to_proj_string().empty()) return fmt::format("'{}'", c.to_proj_string());
  } catch (const Error&) {
  }
  return fmt::format("'{}'", crs);
}

bool same_crs(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == b) return true;
  try {
    return geom::Crs::from_user_input(a).is_equivalent_to(geom::Crs::from_user_input(b));
  } catch (const Error&) {
    return false;
  }
}

// Reads a class raster on `spec` into class codes (no_class = no data). Error(data) for non-integer values.
grid::Grid<std::uint8_t> read_codes(const fs::path& path, const grid::GridSpec& spec, const Context& where,
                                    const std::string& grid_from = {}) {
  require_on_grid(path, spec, "near", where, grid_from);
  const io::RasterInfo info = io::read_raster(path, true);
  const Context at = with_path(where, path);
  if (info.data_type == "Float32" || info.data_type == "Float64" || info.data_type == "CFloat32" ||
      info.data_type == "CFloat64") {
    throw Error(ErrorCode::data,
                fmt::format("a land-use map must hold integer class codes, but this raster is {}; convert it, e.g. "
                            "gdal_translate -ot Byte IN OUT.tif",
                            info.data_type),
                at);
  }
  grid::Grid<std::uint8_t> out(spec, no_class);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const double v = info.values[static_cast<std::size_t>(i)];
    if (std::isnan(v) || (info.nodata && v == *info.nodata)) continue;
    if (v < 0 || v > 254) {
      const grid::Cell c = spec.cell_of_index(i);
      Context cell = at;
      cell.coordinate = Coordinate{spec.col_centre_x(c.col), spec.row_centre_y(c.row)};
      throw Error(ErrorCode::data,
                  fmt::format("value {} at row {}, column {} is not a class code 0..254 and not the raster's nodata "
                              "({}); set the nodata value (gdal_edit.py -a_nodata) or recode the map",
                              v, c.row, c.col, info.nodata ? fmt::format("{}", *info.nodata) : std::string("none")),
                  cell);
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

RasterClassHints hints_of(const fs::path& path) {
  const io::RasterInfo info = io::read_raster(path);
  RasterClassHints h;
  h.category_names = info.category_names;
  h.colour_table = info.colour_table;
  for (const auto& row : info.attribute_table) h.attribute_table[row.value] = {row.name, row.colour};
  return h;
}

// Code grids -> class index grids; Error(data) naming the file, code and one cell for a code not in the table.
grid::Grid<std::uint8_t> to_indices(const grid::Grid<std::uint8_t>& codes, const ClassTable& classes,
                                    const std::string& source, const Context& where) {
  const auto index = classes.code_to_index();
  grid::Grid<std::uint8_t> out(codes.spec(), no_class);
  for (std::int64_t i = 0; i < codes.size(); ++i) {
    const std::uint8_t c = codes[i];
    if (c == no_class) continue;
    if (index[c] == no_class) {
      const grid::Cell cell = codes.spec().cell_of_index(i);
      Context at = where;
      if (!source.empty()) at.path = source;
      at.coordinate = Coordinate{codes.spec().col_centre_x(cell.col), codes.spec().row_centre_y(cell.row)};
      throw Error(ErrorCode::data,
                  fmt::format("code {} (first at row {}, column {}) is not in the class table (codes: {}); declare it "
                              "under [classes.codes] or set it to nodata",
                              c, cell.row, cell.col,
                              fmt::join([&] {
                                std::vector<int> cs;
                                for (const auto& k : classes.classes()) cs.push_back(k.code);
                                return cs;
                              }(),
                                        ", ")),
                  at);
    }
    out[i] = index[c];
  }
  return out;
}

// Warns about classes present in some maps of the series but not in others.
void report_class_sets(const std::vector<DatedMap>& maps, const ClassTable& classes, ProblemReporter& problems) {
  if (maps.size() < 2) return;
  std::vector<std::vector<bool>> present;
  for (const auto& m : maps) {
    std::vector<bool> p(static_cast<std::size_t>(classes.count()), false);
    for (std::int64_t i = 0; i < m.classes.size(); ++i) {
      if (m.classes[i] != no_class) p[m.classes[i]] = true;
    }
    present.push_back(std::move(p));
  }
  for (int k = 0; k < classes.count(); ++k) {
    std::vector<int> with, without;
    for (std::size_t m = 0; m < maps.size(); ++m) (present[m][static_cast<std::size_t>(k)] ? with : without).push_back(maps[m].year);
    if (!with.empty() && !without.empty()) {
      problems.report(Severity::warning, "study.class_sets_differ",
                      fmt::format("class '{}' is in the maps of {} but not in those of {}", classes[k].key,
                                  fmt::join(with, ", "), fmt::join(without, ", ")),
                      Context{.key = "study.maps"});
    }
  }
}

grid::GridSpec explicit_grid(const GridChoice& g) {
  grid::GridSpec spec{g.origin_x, g.origin_y, g.cell_size_m, g.cols, g.rows, g.crs, g.cell_height_m};
  if (g.cols <= 0 || g.rows <= 0) {
    throw Error(ErrorCode::config, "grid.extent = \"explicit\" needs grid.cols and grid.rows above 0", g.where);
  }
  if (g.crs.empty()) throw Error(ErrorCode::config, "grid.extent = \"explicit\" needs grid.crs", g.where);
  spec.validate();
  return spec;
}

void check_size(const grid::GridSpec& spec, const GridChoice& g) {
  if (spec.cell_count() > g.max_cells) {
    throw Error(ErrorCode::config,
                fmt::format("the grid has {} x {} = {} cells, more than grid.max_cells = {}; choose a coarser grid or "
                            "a smaller extent, or raise grid.max_cells",
                            spec.cols, spec.rows, spec.cell_count(), g.max_cells),
                g.where);
  }
}

}  // namespace

int Study::find_zone(const std::string& id) const noexcept {
  for (std::size_t z = 0; z < zone_ids.size(); ++z) {
    if (zone_ids[z] == id) return static_cast<int>(z);
  }
  return -1;
}

grid::GridSpec raster_grid(const fs::path& path, const std::string& assume_crs) {
  const io::RasterInfo info = io::read_raster(path);
  const io::RasterGeometry& g = info.geometry;
  if (!g.north_up) {
    throw Error(ErrorCode::data, "the raster is rotated or sheared; warp it north-up first (gdalwarp IN OUT.tif)",
                Context{.path = path.string()});
  }
  std::string crs = g.crs.text();
  if (crs.empty()) {
    if (assume_crs.empty()) {
      throw Error(ErrorCode::crs, "the raster has no CRS; say which it is with grid.crs in the scenario, e.g. \"EPSG:32650\" (parksim calibrate --map: --crs EPSG:32650)",
                  Context{.path = path.string()});
    }
    crs = assume_crs;
  }
  grid::GridSpec spec{g.origin_x, g.origin_y, g.cell_size, g.cols, g.rows, crs, g.cell_height};
  spec.validate();
  return spec;
}

void require_on_grid(const fs::path& path, const grid::GridSpec& spec, const std::string& resampling,
                     const Context& where, const std::string& grid_from) {
  const io::RasterInfo info = io::read_raster(path);
  const io::RasterGeometry& g = info.geometry;
  const double tol_x = 1e-6 * spec.cell_width();
  const double tol_y = 1e-6 * spec.cell_height();
  const double height = g.cell_height > 0.0 ? g.cell_height : g.cell_size;
  const bool same = g.north_up && g.cols == spec.cols && g.rows == spec.rows &&
                    std::abs(g.cell_size - spec.cell_width()) <= tol_x && std::abs(height - spec.cell_height()) <= tol_y &&
                    std::abs(g.origin_x - spec.origin_x) <= tol_x && std::abs(g.origin_y - spec.origin_y) <= tol_y;
  const std::string crs = g.crs.text();
  if (same && same_crs(crs, spec.crs)) return;
  grid::GridSpec theirs{g.origin_x, g.origin_y, g.cell_size, g.cols, g.rows, crs, g.cell_height};
  const std::string target = crs_argument(spec.crs);
  throw Error(
      ErrorCode::data,
      fmt::format("the raster is not on the run's grid: it has {}{}; the run's grid{} has {}{}. Align it to the "
                  "run's grid (this resamples, it does not shift): gdalwarp{} -te {} {} {} {} -tr {} {} -r {} {} "
                  "aligned.tif",
                  describe(theirs), same_crs(crs, spec.crs) ? "" : " in another CRS",
                  grid_from.empty() ? std::string() : " (" + grid_from + ")", describe(spec),
                  g.north_up ? "" : " (the raster is rotated)", target.empty() ? "" : " -t_srs " + target,
                  spec.min_x(), spec.min_y(), spec.max_x(), spec.max_y(), spec.cell_width(), spec.cell_height(),
                  resampling, path.string()),
      with_path(where, path));
}

Study build_study(const StudySpec& spec, const plan::Plan* plan, ProblemReporter& problems) {
  Study s;
  // Years.
  std::vector<MapFile> maps = spec.maps;
  std::stable_sort(maps.begin(), maps.end(), [](const MapFile& a, const MapFile& b) { return a.year < b.year; });
  for (std::size_t m = 1; m < maps.size(); ++m) {
    if (maps[m].year == maps[m - 1].year) {
      throw Error(ErrorCode::config,
                  fmt::format("two maps for {}: {} and {}", maps[m].year, maps[m - 1].path.string(), maps[m].path.string()),
                  maps[m].where);
    }
  }
  if (maps.empty() && plan == nullptr) {
    throw Error(ErrorCode::config,
                "the scenario studies nothing: give land-use maps ([study.maps]) or a plan dataset (geodata.path)",
                spec.grid.where);
  }
  if (spec.start_year) {
    s.start_year = *spec.start_year;
  } else if (!maps.empty()) {
    s.start_year = maps.back().year;
  } else {
    throw Error(ErrorCode::config, "years.start is required: the year of the plan's state", spec.start_where);
  }
  for (const auto& m : maps) {
    if (m.year > s.start_year) {
      throw Error(ErrorCode::config,
                  fmt::format("the map of {} is dated after the start year {}: the start state is the latest map; "
                              "drop years.start or set it to {} or later",
                              m.year, s.start_year, maps.back().year),
                  m.where);
    }
  }
  if (!maps.empty() && maps.back().year < s.start_year) {
    problems.report(Severity::info, "study.start_map_older",
                    fmt::format("the latest map ({}) is taken as the state of {}", maps.back().year, s.start_year),
                    Context{.key = "years.start"});
  }

  // Grid.
  const GridChoice& g = spec.grid;
  std::string extent = g.extent;
  std::string grid_from;
  if (extent == "auto") extent = maps.empty() ? "corridor" : "map";
  if (extent == "map") {
    if (maps.empty()) throw Error(ErrorCode::config, "grid.extent = \"map\" needs land-use maps ([study.maps])", g.where);
    const MapFile* of = &maps.back();
    if (g.map_year != 0) {
      of = nullptr;
      for (const auto& m : maps) {
        if (m.year == g.map_year) of = &m;
      }
      if (of == nullptr) {
        std::vector<int> years;
        for (const auto& m : maps) years.push_back(m.year);
        throw Error(ErrorCode::config, fmt::format("no map of {} (maps: {})", g.map_year, fmt::join(years, ", ")),
                    g.where);
      }
    }
    s.spec = raster_grid(of->path, g.crs);
    grid_from = fmt::format("the grid of the map of {}, {}; grid.map_year chooses another map's", of->year,
                            of->path.filename().string());
  } else if (extent == "explicit") {
    s.spec = explicit_grid(g);
  } else {
    if (plan == nullptr) {
      throw Error(ErrorCode::config,
                  fmt::format("grid.extent = \"{}\" places the grid on a plan dataset, and the scenario has none "
                              "(geodata.path); use \"map\" or \"explicit\"",
                              extent),
                  g.where);
    }
    PlanGridChoice choice;
    choice.extent = extent;
    choice.cell_size_m = g.cell_size_m;
    choice.park_margin_m = g.park_margin_m;
    choice.corridor_margin_m = g.corridor_margin_m;
    choice.max_cells = g.max_cells;
    s.spec = choose_grid(*plan, choice);
  }
  check_size(s.spec, g);

  // Classes.
  std::vector<std::pair<int, grid::Grid<std::uint8_t>>> codes;
  for (const auto& m : maps) codes.emplace_back(m.year, read_codes(m.path, s.spec, m.where, grid_from));
  if (maps.empty()) {
    s.classes = classes_from_plan(*plan, spec.plan_class_names);
  } else {
    std::set<int> present;
    for (const auto& [year, c] : codes) {
      bool any = false;
      for (std::int64_t i = 0; i < c.size(); ++i) {
        if (c[i] != no_class) {
          present.insert(c[i]);
          any = true;
        }
      }
      if (!any) {
        const int empty_year = year;  // (a structured binding is not captured by clang 14)
        const auto it =
            std::find_if(maps.begin(), maps.end(), [&](const MapFile& m) { return m.year == empty_year; });
        throw Error(ErrorCode::data, "the map has no cell with data (every cell is nodata)",
                    with_path(it->where, it->path));
      }
    }
    std::vector<ClassDeclaration> declared = spec.classes;
    if (declared.empty() && !spec.class_table.empty()) declared = read_class_csv(spec.class_table);
    if (plan != nullptr) {
      // Parcels burn their land use's sim_class, a code of the class table.
      for (const auto& lc : plan->classes) {
        if (lc.sim_class >= 0 && !present.count(lc.sim_class) &&
            std::none_of(declared.begin(), declared.end(), [&](const ClassDeclaration& d) { return d.code == lc.sim_class; })) {
          throw Error(ErrorCode::data,
                      fmt::format("land use '{}' of the plan has sim_class {}, a code that neither the land-use maps "
                                  "nor the class table hold; declare it under [classes.codes]",
                                  lc.code, lc.sim_class),
                      Context{.layer = "landuse_classes"});
        }
      }
    }
    // A declared class table is the whole table: a code of the maps that it lacks is an error (to_indices names
    // the file, the code and a cell). Without one, every code of the maps is a class.
    const std::vector<int> codes_in_table =
        declared.empty() ? std::vector<int>(present.begin(), present.end()) : std::vector<int>{};
    s.classes = classes_from_codes(codes_in_table, declared, hints_of(maps.back().path));
  }
  if (spec.built) s.classes.set_built(*spec.built, spec.built_where);
  for (std::size_t m = 0; m < maps.size(); ++m) {
    s.maps.push_back({maps[m].year, to_indices(codes[m].second, s.classes, maps[m].path.string(), maps[m].where),
                      maps[m].path.string()});
  }
  report_class_sets(s.maps, s.classes, problems);

  // Area, start state and exclusion.
  grid::Grid<std::uint8_t> mask;
  if (!spec.mask.path.empty()) mask = read_mask(spec.mask, s.spec, problems);
  s.exclusion = grid::Grid<std::uint8_t>(s.spec, 0);
  if (!spec.exclusion.path.empty()) s.exclusion = read_mask(spec.exclusion, s.spec, problems);
  if (plan != nullptr) {
    const grid::Grid<std::uint8_t>* base = s.maps.empty() ? nullptr : &s.maps.back().classes;
    PlanGrids pg = rasterize_plan(*plan, s.spec, extent == "corridor", problems, base, &s.classes);
    s.area = std::move(pg.study);
    s.initial = std::move(pg.classes);
    for (std::int64_t i = 0; i < s.exclusion.size(); ++i) s.exclusion[i] = (s.exclusion[i] | pg.constraint[i]) ? 1 : 0;
    s.phase = std::move(pg.phase);
    s.zone = std::move(pg.zone);
    s.ftz = std::move(pg.ftz);
    s.parcel = std::move(pg.parcel);
    for (const auto& z : plan->zones) s.zone_ids.push_back(z.id);
  } else {
    s.initial = s.maps.back().classes;
    s.area = grid::Grid<std::uint8_t>(s.spec, 0);
    for (std::int64_t i = 0; i < s.area.size(); ++i) s.area[i] = s.initial[i] != no_class ? 1 : 0;
  }
  s.zone_ids.push_back(outside_zone);
  if (mask.size() > 0) {
    for (std::int64_t i = 0; i < s.area.size(); ++i) {
      if (mask[i] == 0) s.area[i] = 0;
    }
  }
  for (std::int64_t i = 0; i < s.area.size(); ++i) {
    if (s.area[i] == 0) {
      s.initial[i] = no_class;
      if (s.parcel.size() > 0) s.parcel[i] = -1;
    }
  }
  for (auto& m : s.maps) {
    for (std::int64_t i = 0; i < m.classes.size(); ++i) {
      if (s.area[i] == 0) m.classes[i] = no_class;
    }
  }
  return s;
}

grid::Grid<std::uint8_t> read_class_map(const fs::path& path, const Study& study, const Context& where) {
  grid::Grid<std::uint8_t> out = to_indices(read_codes(path, study.spec, where), study.classes, path.string(), where);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    if (study.area[i] == 0) out[i] = no_class;
  }
  return out;
}

Study study_from_maps(const grid::GridSpec& spec, const std::vector<std::pair<int, grid::Grid<std::uint8_t>>>& maps,
                      const std::vector<ClassDeclaration>& declarations, const grid::Grid<std::uint8_t>& mask,
                      const grid::Grid<std::uint8_t>& exclusion, ProblemReporter& problems) {
  if (maps.empty()) throw Error(ErrorCode::config, "a study needs at least one land-use map", Context{.key = "maps"});
  spec.validate();
  std::vector<std::pair<int, const grid::Grid<std::uint8_t>*>> sorted;
  for (const auto& [year, g] : maps) sorted.emplace_back(year, &g);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::set<int> present;
  for (std::size_t m = 0; m < sorted.size(); ++m) {
    const Context where{.key = fmt::format("maps[{}]", sorted[m].first)};
    if (m > 0 && sorted[m].first == sorted[m - 1].first) {
      throw Error(ErrorCode::config, fmt::format("two maps for {}", sorted[m].first), where);
    }
    if (!(sorted[m].second->spec() == spec)) {
      throw Error(ErrorCode::data, "the map is not on the study's grid", where);
    }
    bool any = false;
    for (std::int64_t i = 0; i < sorted[m].second->size(); ++i) {
      const std::uint8_t c = (*sorted[m].second)[i];
      if (c != no_class) {
        present.insert(c);
        any = true;
      }
    }
    if (!any) throw Error(ErrorCode::data, "the map has no cell with data (every cell is 255)", where);
  }
  Study s;
  s.spec = spec;
  s.classes = classes_from_codes(std::vector<int>(present.begin(), present.end()), declarations, RasterClassHints{});
  for (const auto& [year, g] : sorted) {
    s.maps.push_back({year, to_indices(*g, s.classes, "", Context{.key = fmt::format("maps[{}]", year)}), ""});
  }
  report_class_sets(s.maps, s.classes, problems);
  s.start_year = s.maps.back().year;
  s.initial = s.maps.back().classes;
  s.area = grid::Grid<std::uint8_t>(spec, 0);
  for (std::int64_t i = 0; i < s.area.size(); ++i) {
    s.area[i] = s.initial[i] != no_class && (mask.size() == 0 || mask[i] != 0) ? 1 : 0;
  }
  s.exclusion = grid::Grid<std::uint8_t>(spec, 0);
  if (exclusion.size() > 0) {
    if (!(exclusion.spec() == spec)) throw Error(ErrorCode::data, "the exclusion grid is not on the study's grid", Context{.key = "exclusion"});
    for (std::int64_t i = 0; i < s.exclusion.size(); ++i) s.exclusion[i] = exclusion[i] != 0 ? 1 : 0;
  }
  if (mask.size() > 0 && !(mask.spec() == spec)) {
    throw Error(ErrorCode::data, "the mask grid is not on the study's grid", Context{.key = "mask"});
  }
  for (std::int64_t i = 0; i < s.area.size(); ++i) {
    if (s.area[i] == 0) s.initial[i] = no_class;
  }
  for (auto& m : s.maps) {
    for (std::int64_t i = 0; i < m.classes.size(); ++i) {
      if (s.area[i] == 0) m.classes[i] = no_class;
    }
  }
  s.zone_ids.push_back(outside_zone);
  return s;
}

}  // namespace parksim::study
