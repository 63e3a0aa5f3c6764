# One entry point for the whole test suite (CI runs `make test` through .ci/run):
# a short libFuzzer run of every fuzz target, the Swift tests, then the NumPy/Pillow interop tests.
PYTHON ?= python3
SWIFT_BIN = $(shell swift build --show-bin-path)
# Benchmarks and developer tools (ndarray-bench, npyio-bench, imaging-tool) are a nested
# package; the interop suite uses its imaging-tool.
BENCHMARKS = Benchmarks
BENCHMARKS_BIN = $(shell swift build --package-path $(BENCHMARKS) --show-bin-path)
FUZZ_SECONDS ?= 20

.PHONY: test fuzz-smoke swift-test interop-test deps bench linalg-deps

# Debian's OpenBLAS (CBLAS, LAPACK) and LAPACKE behind NDArray's matmul and Linalg: installed
# when missing, before anything builds (as root; otherwise the exact command is printed).
LINALG_APT = libopenblas-dev liblapacke-dev
linalg-deps:
	@missing=$$(for p in $(LINALG_APT); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "missing Debian packages: run: sudo apt-get install -y $$missing" >&2; exit 1; \
		fi; \
	fi

# The pinned test oracles (numpy, Pillow, pytest): docs/golden-data.md.
deps:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r python-interop/requirements.txt

# A fixed seed keeps the smoke run repeatable: the same inputs in the same order each time.
# Open-ended fuzzing is `Fuzz/run.sh TARGET SECONDS` without it.
fuzz-smoke: linalg-deps
	FUZZ_ARGS="-seed=1 $(FUZZ_ARGS)" Fuzz/run.sh all $(FUZZ_SECONDS)

swift-test: linalg-deps
	swift build
	swift test

interop-test: deps linalg-deps
	swift build
	swift build --package-path $(BENCHMARKS) --product imaging-tool
	NORMTOOL="$(SWIFT_BIN)/normtool" IMAGING_TOOL="$(BENCHMARKS_BIN)/imaging-tool" \
		$(PYTHON) -m pytest -q python-interop

test: fuzz-smoke swift-test interop-test

# Benchmarks, each beside NumPy/Pillow in one run, printing ratios (theirs / ours).
# The image benchmarks use a 3670-photo corpus made by Benchmarks/make_image_corpus.py from
# the sample photographs inside the scikit-image, scikit-learn and matplotlib wheels.
FLOWERS ?= /tmp/flowers
RELEASE_BIN = .build/release
BENCHMARKS_RELEASE_BIN = $(BENCHMARKS)/.build/release

$(FLOWERS):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check scikit-image scikit-learn matplotlib
	$(PYTHON) $(BENCHMARKS)/make_image_corpus.py $(FLOWERS) --count 3670 --jpeg-only --seed 7

bench: deps linalg-deps $(FLOWERS)
	swift build -c release
	swift build -c release --package-path $(BENCHMARKS)
	$(BENCHMARKS_RELEASE_BIN)/ndarray-bench
	$(PYTHON) python-interop/bench/npyio_bench.py --bin $(RELEASE_BIN) --bench $(BENCHMARKS_RELEASE_BIN)/npyio-bench
	$(PYTHON) python-interop/bench/imaging_bench.py $(FLOWERS) --tool $(BENCHMARKS_RELEASE_BIN)/imaging-tool --repeat 5
	$(PYTHON) python-interop/bench/convert_bench.py $(FLOWERS) --normtool $(RELEASE_BIN)/normtool
	$(PYTHON) python-interop/bench/linalg_bench.py --bench $(BENCHMARKS_RELEASE_BIN)/linalg-bench
	$(PYTHON) python-interop/bench/ml_bench.py --bench $(BENCHMARKS_RELEASE_BIN)/ml-bench
