# One entry point for the whole test suite (CI runs `make test` through .ci/run):
# a short libFuzzer run of every fuzz target, the Swift tests, then the NumPy/Pillow interop tests.
PYTHON ?= python3
SWIFT_BIN = $(shell swift build --show-bin-path)
FUZZ_SECONDS ?= 20

.PHONY: test fuzz-smoke swift-test interop-test deps bench

deps:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r python-interop/requirements.txt

fuzz-smoke:
	Fuzz/run.sh all $(FUZZ_SECONDS)

swift-test:
	swift build
	swift test

interop-test: deps
	swift build
	NORMTOOL="$(SWIFT_BIN)/normtool" $(PYTHON) -m pytest -q python-interop

test: fuzz-smoke swift-test interop-test

bench: deps
	swift run -c release ndarray-bench
