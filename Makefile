# The README's whole set-up: `make run` and `make test`. Each installs what is missing first.
BUILD_DIR  ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
OKR_WERROR ?= OFF
# Sanitizer and fuzzing builds each keep their own directory (docs/testing.md).
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS   ?= 300
SANITIZER_CMAKE_FLAGS = -DCMAKE_BUILD_TYPE=Debug -DOKR_WERROR=$(OKR_WERROR) -DOKR_BUILD_BENCH=OFF

.PHONY: run test build bench deps configure clean format teams-package config-reference \
        test-asan test-tsan fuzz

run: build
	mkdir -p data
	./$(BUILD_DIR)/okr-coach serve

# The suite, then every fuzz target for 20 s.
test: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300
	$(MAKE) fuzz FUZZ_SECONDS=20

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, then ThreadSanitizer;
# any report from any process fails the run (tests/sanitizers/run_ctest.sh).
test-asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) $(SANITIZER_CMAKE_FLAGS) -DOKR_SANITIZE=address
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	./tests/sanitizers/run_ctest.sh $(ASAN_BUILD_DIR) -j $(JOBS)

test-tsan: deps
	cmake -S . -B $(TSAN_BUILD_DIR) $(SANITIZER_CMAKE_FLAGS) -DOKR_SANITIZE=thread
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS)
	./tests/sanitizers/run_ctest.sh $(TSAN_BUILD_DIR) -j $(JOBS)

# libFuzzer targets (tests/fuzz/README.md), built with clang from only the sources they parse
# with; each runs FUZZ_SECONDS from its seed corpus. Configured once.
fuzz: deps
	test -f $(FUZZ_BUILD_DIR)/CMakeCache.txt || \
	  cmake -S tests/fuzz -B $(FUZZ_BUILD_DIR) -DCMAKE_CXX_COMPILER=clang++
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)
	./tests/fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(JOBS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target okr-coach

# The benchmark suite against 127.0.0.1 only (bench/README.md); results in bench/RESULTS.md.
bench: deps
	./bench/run.sh

# The Teams app zip (docs/teams.md): make teams-package TEAMS_APP_ID=<Microsoft App ID> TEAMS_HOST=<host>
teams-package:
	./deploy/teams/package.sh $(BUILD_DIR)/okr-coach-teams.zip

# Regenerates docs/configuration-reference.md from the settings table (a test compares them).
config-reference: build
	./$(BUILD_DIR)/okr-coach config-reference > docs/configuration-reference.md

deps:
	./deploy/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DOKR_WERROR=$(OKR_WERROR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(TSAN_BUILD_DIR) $(FUZZ_BUILD_DIR)
