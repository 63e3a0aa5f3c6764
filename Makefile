# One entry point for the whole test suite: Swift tests, then the NumPy/Pillow interop tests.
PYTHON ?= python3
SWIFT_BIN = $(shell swift build --show-bin-path)

.PHONY: test swift-test interop-test deps bench

deps:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r python-interop/requirements.txt

swift-test:
	swift build
	swift test

interop-test: deps
	swift build
	NORMTOOL="$(SWIFT_BIN)/normtool" $(PYTHON) -m pytest -q python-interop

test: swift-test interop-test

bench:
	swift run -c release ndarray-bench
