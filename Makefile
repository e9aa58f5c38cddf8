# The README's two commands. Each installs the Debian packages it needs (if missing), configures, builds
# and then runs the main job (`make run`) or every test (`make test`). Quick when nothing changed.
SHELL := /bin/bash
.DEFAULT_GOAL := run
JOBS ?= $(shell nproc)
PYTHON := /usr/bin/python3
export CCACHE_DIR ?= $(CURDIR)/build/.ccache

.PHONY: run test deps test-deps release dev asan fuzz fuzz-build bench clean

deps:
	@tools/install-deps.sh packages/build.txt

test-deps:
	@tools/install-deps.sh packages/build.txt packages/test.txt

build/%/CMakeCache.txt:
	cmake --preset $* >/dev/null

release: deps build/release/CMakeCache.txt
	cmake --build --preset release -j $(JOBS)

dev: test-deps build/dev/CMakeCache.txt
	cmake --build --preset dev -j $(JOBS)

asan: test-deps build/asan/CMakeCache.txt
	cmake --build --preset asan -j $(JOBS)

# The main job. Until the baseline scenario lands it demonstrates the geometry core on the bundled sources.
run: release
	@tools/run-main.sh build/release

# Every test: the developer build (warnings as errors) with all labels, then the unit tests under
# AddressSanitizer + UndefinedBehaviorSanitizer, then each fuzz target briefly.
test: dev
	ctest --preset dev -j $(JOBS)
	$(MAKE) --no-print-directory asan
	ctest --preset asan -j $(JOBS)
	$(MAKE) --no-print-directory fuzz-build
	FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) ctest --preset fuzz -j $(JOBS)

# libFuzzer targets (tests/fuzz, clang 14 + ASan/UBSan). `make test` runs each for FUZZ_SMOKE_SECONDS; `make fuzz`
# for FUZZ_SECONDS each, one at a time (one core). Both fail on a crash, a leak, a timeout or an out-of-memory.
FUZZ_SMOKE_SECONDS ?= 45
FUZZ_SECONDS ?= 600
fuzz-build: test-deps build/fuzz/CMakeCache.txt
	cmake --build --preset fuzz -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) ctest --preset fuzz -j 1

# Google Benchmark programs and the skill protocols of bench/skill (not part of `make test`); figures go to
# bench/RESULTS.md.
bench: dev
	@ls build/dev/bench/*/bench_* 2>/dev/null | while read -r b; do echo "== $$b"; "$$b"; done
	bench/skill/protocol_a.sh build/dev/bin/parksim auto logistic spline
	$(PYTHON) bench/skill/protocol_b.py --learner auto
	$(PYTHON) bench/skill/protocol_b.py --learner logistic
	@echo "== parksim optimize: about 2,000 evaluations of the park (bench/optimize/RESULTS.md)"
	/usr/bin/time -v build/dev/bin/parksim optimize scenarios/optimize_zones.toml --population 40 --generations 49 \
	  --threads 2 --out build/dev/bench-optimize --overwrite -q

clean:
	rm -rf build
