# The README's two commands. Each installs the Debian packages it needs (if missing), configures, builds
# and then runs the main job (`make run`) or every test (`make test`). Quick when nothing changed.
SHELL := /bin/bash
.DEFAULT_GOAL := run
JOBS ?= $(shell nproc)
PYTHON := /usr/bin/python3
export CCACHE_DIR ?= $(CURDIR)/build/.ccache

.PHONY: run test deps test-deps release dev asan bench clean

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
# AddressSanitizer + UndefinedBehaviorSanitizer.
test: dev
	ctest --preset dev -j $(JOBS)
	$(MAKE) --no-print-directory asan
	ctest --preset asan -j $(JOBS)

# Google Benchmark programs (not part of `make test`); figures go to bench/RESULTS.md.
bench: dev
	@ls build/dev/bench/*/bench_* 2>/dev/null | while read -r b; do echo "== $$b"; "$$b"; done

clean:
	rm -rf build
