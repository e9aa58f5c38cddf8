#pragma once
// The land-use classes of a study: the class table that maps the codes of the user's maps (or the sim_class groups
// of a plan dataset) to the simulation's classes 0..K-1, with a key, names in English and Chinese, a colour and
// how each class may change.
//
// Rules of change (the simulation's conversion matrix follows them, see pipeline):
//  - a BUILT class counts as developed land; cells of a built class never change;
//  - a FIXED class never changes and never grows (water, roads, green space);
//  - every other class is CONVERTIBLE: its cells may become any class that is not fixed.
// Plain values; thread-safe to read.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "plan/plan.hpp"

namespace parksim::study {

/// Most classes a study may have (the simulation packs per-class counts into bytes of 64-bit words).
inline constexpr int max_classes = 16;
/// Class index of cells with no data (outside the study area) in class grids.
inline constexpr std::uint8_t no_class = 255;

/// One class of a study.
struct ClassInfo {
  int id = 0;                 ///< simulation class index 0..K-1 (position in the table)
  std::string key;            ///< short stable id ("forest", "r_d") for scenario keys, file and column names
  std::string name_en, name_zh;
  std::string colour;         ///< "#RRGGBB"
  bool built = false;         ///< counts as developed land; never changes
  std::vector<std::string> landuse_codes;  ///< plan land-use codes grouped in the class (plan studies)
  int code = -1;              ///< the value of the class in the user's rasters, 0..254; -1 = the id (plan studies)
  bool fixed = false;         ///< never changes and never grows (water, roads, green)

  bool convertible() const noexcept { return !built && !fixed; }
  /// The class's value in rasters: its code, or its id when it has none.
  int raster_value() const noexcept { return code >= 0 ? code : id; }
};

/// What a scenario or a caller says about one class, by code. Unset members are taken from the raster's category
/// names / attribute table or default ("class_<code>", not built, not fixed, a colour from a fixed palette).
struct ClassDeclaration {
  int code = 0;
  std::string key, name_en, name_zh, colour;
  std::optional<bool> built, fixed;
  Context where;  ///< file:line:key of the declaration, for messages
};

/// The classes of a study, ordered by code (index = simulation class id). Plain value.
class ClassTable {
 public:
  ClassTable() = default;
  /// Takes the classes as given (ids are set to positions). Throws as validate().
  explicit ClassTable(std::vector<ClassInfo> classes);

  int count() const noexcept { return static_cast<int>(m_classes.size()); }
  const std::vector<ClassInfo>& classes() const noexcept { return m_classes; }
  const ClassInfo& operator[](int id) const { return m_classes.at(static_cast<std::size_t>(id)); }
  /// Index of the class with `key`, or -1.
  int find(std::string_view key) const noexcept;
  /// Index of the class with raster value `code`, or -1.
  int index_of_code(int code) const noexcept;
  /// The keys, in class order.
  std::vector<std::string> keys() const;
  /// Index per raster value 0..255 (no_class for values that are no class).
  std::array<std::uint8_t, 256> code_to_index() const;
  /// Marks exactly the classes `keys` as built; a class that was built and is not listed becomes fixed (its cells
  /// stay as they are). Error(config, where) naming an unknown key.
  void set_built(const std::vector<std::string>& keys, const Context& where);

  /// Throws Error(data) unless: 1..max_classes classes, codes 0..254 and unique, keys unique and made of ASCII
  /// letters, digits and '_', colours "#RRGGBB" or empty.
  void validate() const;

 private:
  std::vector<ClassInfo> m_classes;
};

/// "non-built / agricultural" -> "non_built"; "R&D (health industry)" -> "r_d": lower-case ASCII words of the text
/// before the first '/' or '(' joined by '_'; "" when nothing is left.
std::string slug(std::string_view text);

/// The classes of a plan dataset: one per sim_class of its land-use classes (code = id = sim_class), named by
/// `sim_class_names` (the dataset's landuse_classes.sim_class_name and sim_class_name_zh: a group named there has no
/// Chinese name rather than the name of one of its members) or by the first land-use class of the group.
/// Built: every class whose land-use codes are all developable and none agricultural/idle (national groups 01-06,
/// 0703, 23); convertible: developable classes with agricultural/idle codes; fixed: the rest (green, roads, water).
/// Throws Error(data, layer landuse_classes) when no class has a sim_class or there are more than max_classes.
ClassTable classes_from_plan(const plan::Plan& plan, const std::map<int, plan::SimClassName>& sim_class_names);

/// What a raster says about its classes: category names by value, attribute table rows, colour table.
struct RasterClassHints {
  std::vector<std::string> category_names;  ///< by value
  std::map<int, std::pair<std::string, std::string>> attribute_table;  ///< value -> (name, colour)
  std::vector<std::string> colour_table;    ///< "#RRGGBB" by value
};

/// The classes of a raster study: one per code in `codes` (the values found in the maps, ascending), with keys,
/// names and colours from `declarations` first, then the raster's attribute table, category names and colour
/// table, then defaults. A declaration of a code that no map holds still makes a class (it may grow).
/// Throws Error(config, declaration's where) for a declared code outside 0..254, Error(data) as
/// ClassTable::validate (e.g. two classes with one key).
ClassTable classes_from_codes(const std::vector<int>& codes, const std::vector<ClassDeclaration>& declarations,
                              const RasterClassHints& hints);

/// Declarations from a CSV file with a header: code (required), key, name_en, name_zh, built, fixed, colour
/// (columns in any order; booleans true/false/1/0/yes/no). Throws Error(input) when unreadable, Error(config)
/// naming the file, line and column for a malformed row.
std::vector<ClassDeclaration> read_class_csv(const std::filesystem::path& path);

}  // namespace parksim::study
