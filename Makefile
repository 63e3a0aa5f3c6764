# One entry point for the whole test suite (CI runs `make test` through .ci/run):
# a short libFuzzer run of every fuzz target, the Swift tests, then the NumPy/Pillow interop tests.
PYTHON ?= python3
SWIFT_BIN = $(shell swift build --show-bin-path)
# Benchmarks and developer tools (ndarray-bench, npyio-bench, imaging-tool) are a nested
# package; the interop suite uses its imaging-tool.
BENCHMARKS = Benchmarks
BENCHMARKS_BIN = $(shell swift build --package-path $(BENCHMARKS) --show-bin-path)
FUZZ_SECONDS ?= 20

.PHONY: test fuzz-smoke swift-test interop-test deps system-deps browser-deps slurm-deps bench

# The system libraries beyond the base image (pkg-config name:Debian package): WebP and TIFF
# for the image decoders, OpenBLAS and LAPACKE for NDArray's matmul and Linalg.
# Idempotent: installs only what pkg-config does not find, and only as root with apt-get;
# otherwise prints the exact command to run and stops.
SYSTEM_LIBRARIES = libwebpdemux:libwebp-dev libtiff-4:libtiff-dev libdeflate:libdeflate-dev openblas:libopenblas-dev lapacke:liblapacke-dev

system-deps:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing=" pkg-config"; \
	for entry in $(SYSTEM_LIBRARIES); do \
	  pkg-config --exists "$${entry%%:*}" 2>/dev/null || missing="$$missing $${entry#*:}"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	else \
	  echo "missing system libraries; run: sudo apt-get install -y$$missing" >&2; exit 1; \
	fi

# Headless Chromium (Debian's `chromium`), which python-interop/test_preview_report.py renders
# `normtool report`'s page with. Idempotent: installs only when missing, and only as root with
# apt-get; otherwise prints the exact command and goes on (the test then skips, saying why).
browser-deps:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
	    echo "chromium could not be installed; the report rendering test will skip" >&2; \
	else \
	  echo "chromium is missing (the report rendering test will skip); run: sudo apt-get install -y chromium" >&2; \
	fi

# Slurm and munge for the sharding tests' one-node cluster (python-interop/test_shard_slurm.py,
# which starts and stops the daemons itself). Idempotent: installs them only when missing and
# only as root with apt-get; otherwise prints the command and goes on (those tests then skip,
# printing why: the daemons must run as root).
SLURM_PACKAGES = slurm-wlm munge

slurm-deps:
	@if command -v sbatch >/dev/null 2>&1 && PATH="$$PATH:/usr/sbin" command -v slurmd >/dev/null 2>&1 \
	  && PATH="$$PATH:/usr/sbin" command -v munged >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing $(SLURM_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SLURM_PACKAGES); \
	else \
	  echo "Slurm is not installed (the Slurm tests will skip); run: sudo apt-get install -y $(SLURM_PACKAGES)" >&2; \
	fi

# The system libraries, then the pinned test oracles (numpy, Pillow, pytest): docs/golden-data.md.
deps: system-deps
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r python-interop/requirements.txt

# A fixed seed keeps the smoke run repeatable: the same inputs in the same order each time.
# Open-ended fuzzing is `Fuzz/run.sh TARGET SECONDS` without it.
fuzz-smoke: system-deps
	FUZZ_ARGS="-seed=1 $(FUZZ_ARGS)" Fuzz/run.sh all $(FUZZ_SECONDS)

swift-test: system-deps
	swift build
	swift test

interop-test: deps system-deps browser-deps slurm-deps
	swift build
	swift build --package-path $(BENCHMARKS) --product imaging-tool
	NORMTOOL="$(SWIFT_BIN)/normtool" IMAGING_TOOL="$(BENCHMARKS_BIN)/imaging-tool" \
		$(PYTHON) -m pytest -q -rs python-interop

# deps first: a fresh machine gets the system libraries before the first `swift build`.
test: deps fuzz-smoke swift-test interop-test

# Benchmarks, each beside NumPy/Pillow in one run, printing ratios (theirs / ours).
# The image benchmarks use a 3670-photo corpus made by Benchmarks/make_image_corpus.py from
# the sample photographs inside the scikit-image, scikit-learn and matplotlib wheels.
FLOWERS ?= /tmp/flowers
RELEASE_BIN = .build/release
BENCHMARKS_RELEASE_BIN = $(BENCHMARKS)/.build/release

$(FLOWERS):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check scikit-image scikit-learn matplotlib
	$(PYTHON) $(BENCHMARKS)/make_image_corpus.py $(FLOWERS) --count 3670 --jpeg-only --seed 7

bench: deps system-deps $(FLOWERS)
	swift build -c release
	swift build -c release --package-path $(BENCHMARKS)
	$(BENCHMARKS_RELEASE_BIN)/ndarray-bench
	$(PYTHON) python-interop/bench/npyio_bench.py --bin $(RELEASE_BIN) --bench $(BENCHMARKS_RELEASE_BIN)/npyio-bench
	$(PYTHON) python-interop/bench/imaging_bench.py $(FLOWERS) --tool $(BENCHMARKS_RELEASE_BIN)/imaging-tool --repeat 5
	$(PYTHON) python-interop/bench/convert_bench.py $(FLOWERS) --normtool $(RELEASE_BIN)/normtool
	$(PYTHON) python-interop/bench/compare_bench.py --normtool $(RELEASE_BIN)/normtool
	$(PYTHON) python-interop/bench/linalg_bench.py --bench $(BENCHMARKS_RELEASE_BIN)/linalg-bench
	$(PYTHON) python-interop/bench/ml_bench.py --bench $(BENCHMARKS_RELEASE_BIN)/ml-bench
