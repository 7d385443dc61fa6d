# The README's whole set-up: `make run` and `make test`. Each installs what is missing first.
BUILD_DIR  ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
OKR_WERROR ?= OFF

.PHONY: run test build bench deps configure clean format teams-package config-reference

run: build
	mkdir -p data
	./$(BUILD_DIR)/okr-coach serve

test: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

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
	rm -rf $(BUILD_DIR)
