#include "io/atomic.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "test_support.hpp"

namespace parksim::io {
namespace {

using test::read_bytes;
using test::TempDir;
using test::write_bytes;

TEST(AtomicOutput, write_text_creates_the_file_with_exactly_the_content) {
  TempDir dir;
  atomic_write_text(dir / "indicators.csv", "name,value\nhealth_land_mu,3000\n", false);
  EXPECT_EQ(read_bytes(dir / "indicators.csv"), "name,value\nhealth_land_mu,3000\n");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"indicators.csv"});
}

TEST(AtomicOutput, existing_file_is_refused_without_overwrite_and_left_untouched) {
  TempDir dir;
  write_bytes(dir / "manifest.json", "{\"seed\": 1}");
  try {
    atomic_write_text(dir / "manifest.json", "{\"seed\": 2}", false);
    FAIL() << "expected output_exists";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output_exists);
    EXPECT_EQ(e.context().path, (dir / "manifest.json").string());
  }
  EXPECT_EQ(read_bytes(dir / "manifest.json"), "{\"seed\": 1}");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"manifest.json"});
}

TEST(AtomicOutput, overwrite_replaces_an_existing_file) {
  TempDir dir;
  write_bytes(dir / "manifest.json", "old");
  atomic_write_text(dir / "manifest.json", "new", true);
  EXPECT_EQ(read_bytes(dir / "manifest.json"), "new");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"manifest.json"});
}

TEST(AtomicOutput, temporary_is_hidden_beside_the_target_and_keeps_its_extension) {
  TempDir dir;
  AtomicOutput output(dir / "results.gpkg", AtomicOutput::Kind::file, false);
  EXPECT_EQ(output.temp_path().parent_path(), dir.path());
  EXPECT_EQ(output.temp_path().extension(), ".gpkg");
  EXPECT_EQ(output.temp_path().filename().string().rfind(".results.tmp-", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(output.temp_path()));  // a file output is not pre-created
}

TEST(AtomicOutput, abandoned_output_removes_its_temporary_and_keeps_the_previous_file) {
  TempDir dir;
  write_bytes(dir / "results.gpkg", "previous");
  {
    AtomicOutput output(dir / "results.gpkg", AtomicOutput::Kind::file, true);
    write_bytes(output.temp_path(), "half-written");
    write_bytes(output.temp_path().string() + "-journal", "sqlite journal");
    // no commit(): as if the writer threw
  }
  EXPECT_EQ(read_bytes(dir / "results.gpkg"), "previous");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"results.gpkg"});
}

TEST(AtomicOutput, directory_overwrite_swaps_in_the_new_directory_and_deletes_the_old_one) {
  TempDir dir;
  std::filesystem::create_directory(dir / "shp");
  write_bytes(dir / "shp" / "old.shp", "old");
  {
    AtomicOutput output(dir / "shp", AtomicOutput::Kind::directory, true);
    ASSERT_TRUE(std::filesystem::is_directory(output.temp_path()));
    write_bytes(output.temp_path() / "new.shp", "new");
    output.commit();
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"shp"});  // nothing left aside
  EXPECT_FALSE(std::filesystem::exists(dir / "shp" / "old.shp"));
  EXPECT_EQ(read_bytes(dir / "shp" / "new.shp"), "new");
}

// The pid of a process that has run and exited (reaped), as a writer killed earlier would have left it.
long dead_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return static_cast<long>(child);
}

TEST(AtomicOutput, previous_output_left_aside_by_a_writer_killed_between_the_renames_is_restored) {
  TempDir dir;
  // A kill after "old aside" and before "new in": no target, the old bundle aside, the new one still temporary.
  const std::string aside = ".baseline.old-" + std::to_string(dead_pid()) + "-3";
  const std::string temp = ".baseline.tmp-" + std::to_string(dead_pid()) + "-2";
  std::filesystem::create_directory(dir / aside);
  write_bytes(dir / aside / "manifest.json", "old");
  std::filesystem::create_directory(dir / temp);
  write_bytes(dir / temp / "manifest.json", "half-written");
  {
    AtomicOutput output(dir / "baseline", AtomicOutput::Kind::directory, true);
    EXPECT_EQ(read_bytes(dir / "baseline" / "manifest.json"), "old");  // recovered before anything is written
    write_bytes(output.temp_path() / "manifest.json", "new");
    output.commit();
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"baseline"});
  EXPECT_EQ(read_bytes(dir / "baseline" / "manifest.json"), "new");
}

TEST(AtomicOutput, recovery_without_overwrite_restores_and_then_refuses) {
  TempDir dir;
  const std::string aside = ".baseline.old-" + std::to_string(dead_pid()) + "-1";
  std::filesystem::create_directory(dir / aside);
  write_bytes(dir / aside / "manifest.json", "old");
  EXPECT_THROW(AtomicOutput(dir / "baseline", AtomicOutput::Kind::directory, false), Error);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"baseline"});
  EXPECT_EQ(read_bytes(dir / "baseline" / "manifest.json"), "old");
}

TEST(AtomicOutput, aside_copy_of_a_dead_writer_is_removed_when_the_target_is_in_place) {
  TempDir dir;
  // A kill after both renames, before the old one was deleted.
  std::filesystem::create_directory(dir / "baseline");
  write_bytes(dir / "baseline" / "manifest.json", "new");
  const std::string aside = ".baseline.old-" + std::to_string(dead_pid()) + "-1";
  std::filesystem::create_directory(dir / aside);
  write_bytes(dir / aside / "manifest.json", "old");
  AtomicOutput output(dir / "other", AtomicOutput::Kind::directory, false);  // another target: not its business
  EXPECT_TRUE(std::filesystem::exists(dir / aside));
  AtomicOutput same(dir / "baseline", AtomicOutput::Kind::directory, true);
  EXPECT_FALSE(std::filesystem::exists(dir / aside));
  EXPECT_EQ(read_bytes(dir / "baseline" / "manifest.json"), "new");
}

TEST(AtomicOutput, temporaries_of_dead_writers_go_and_those_of_live_writers_stay) {
  TempDir dir;
  const std::string dead = ".results.tmp-" + std::to_string(dead_pid()) + "-7.gpkg";
  const std::string live = ".results.tmp-1-7.gpkg";  // pid 1 always runs
  write_bytes(dir / dead, "stale");
  write_bytes(dir / live, "in progress");
  AtomicOutput output(dir / "results.gpkg", AtomicOutput::Kind::file, false);
  EXPECT_FALSE(std::filesystem::exists(dir / dead));
  EXPECT_TRUE(std::filesystem::exists(dir / live));
}

TEST(AtomicOutput, missing_parent_directory_is_an_output_error) {
  TempDir dir;
  try {
    atomic_write_text(dir / "no-such-dir" / "x.csv", "x", false);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
    EXPECT_NE(e.context().path.find("no-such-dir"), std::string::npos);
  }
}

TEST(AtomicOutput, target_of_the_other_kind_is_refused_even_with_overwrite) {
  TempDir dir;
  std::filesystem::create_directory(dir / "report");
  try {
    atomic_write_text(dir / "report", "x", true);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::output);
  }
  EXPECT_TRUE(std::filesystem::is_directory(dir / "report"));
}

}  // namespace
}  // namespace parksim::io
