# Everyday entry points; .ci/run and the README use these.
SWIFT ?= swift

.PHONY: build test release demo test-cluster-stop

build:
	$(SWIFT) build

# Builds everything first (the CLI tests run the built `warehouse` binary), then runs the
# suite against DATABASE_URL when set, else an embedded cluster in .build/test-cluster,
# which is left running for the next run (`make test-cluster-stop` stops it).
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

release:
	$(SWIFT) build -c release

# An end-to-end walk through the tool on generated data (filled in with the demo work).
demo: build
	@echo "demo: not written yet"

test-cluster-stop:
	@bin="$$($(SWIFT) build --show-bin-path)/warehouse"; \
	if [ -x "$$bin" ] && [ -d .build/test-cluster ]; then "$$bin" db stop --home "$(CURDIR)/.build/test-cluster"; fi
