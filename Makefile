# Everyday entry points; .ci/run and the README use these.
SWIFT ?= swift

.PHONY: deps deps-browser build test test-unit release install demo bench test-cluster-stop

BIN = $(shell $(SWIFT) build --show-bin-path)/warehouse

# Installs only what is missing (apt-get on Debian/Ubuntu; elsewhere it says what to install).
deps:
	scripts/install-deps.sh

deps-browser:
	scripts/install-deps.sh --browser

build:
	$(SWIFT) build

# Builds everything first (the CLI tests run the built `warehouse` binary), then runs the
# suite against DATABASE_URL when set, else an embedded cluster in .build/test-cluster,
# which is left running for the next run (`make test-cluster-stop` stops it).
test: deps-browser
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The tests that need nothing but the code (no PostgreSQL, no browser, no binary): seconds.
test-unit:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter WarehouseUnitTests

# Only the program, which is all a release is for.
release:
	$(SWIFT) build -c release --product warehouse

# Installs the binary, its manual page and bash, zsh and fish completions under $(DESTDIR)$(PREFIX)
# (scripts/install.sh lists the paths). swift-argument-parser's generate-manual plugin builds the
# package (CONFIGURATION=debug installs the debug build, as scripts/check-install.sh does) and
# writes the manual page from the built binary.
PREFIX ?= /usr/local
CONFIGURATION ?= release
install:
	$(SWIFT) package plugin generate-manual --configuration $(CONFIGURATION)
	scripts/install.sh "$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path)/warehouse" \
		.build/plugins/GenerateManual/outputs/warehouse/warehouse.1 "$(DESTDIR)$(PREFIX)"

# The main job on the embedded default: sample data in, reports and application.db out.
demo: deps build
	$(BIN) migrate
	$(BIN) ingest data/sample_orders.csv
	$(BIN) report total-orders --limit 10
	$(BIN) report most-recent-order --limit 10
	$(BIN) report top-customers --as-of 2023-12-10
	$(BIN) export-sqlite application.db --as-of 2023-12-10

# Ingest, report and dashboard figures at 1M and 5M rows, embedded and stock server (several minutes);
# BENCH_ARGS="--baseline PATH --sizes 20000000" to compare a build or go bigger.
bench: deps
	$(SWIFT) build -c release --product warehouse
	python3 bench/bench.py $(BENCH_ARGS)

test-cluster-stop:
	@bin="$$($(SWIFT) build --show-bin-path)/warehouse"; \
	if [ -x "$$bin" ] && [ -d .build/test-cluster ]; then "$$bin" db stop --home "$(CURDIR)/.build/test-cluster"; fi
