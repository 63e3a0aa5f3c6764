// swift-tools-version:6.0
// Benchmarks and developer tools, kept out of the product's Sources/ (as swift-nio and
// swift-collections keep theirs): a nested package that uses the libraries through their
// public products, exactly as any other package would.
//
//   swift build -c release --package-path Benchmarks
//   Benchmarks/.build/release/ndarray-bench          (make bench runs them all)
import PackageDescription

let package = Package(
  name: "swift-ndarray-benchmarks",
  dependencies: [
    .package(name: "swift-ndarray", path: "..")
  ],
  targets: [
    // The timer and median every benchmark program shares.
    .target(name: "BenchTiming"),
    // NDArray operations beside NumPy (python-interop/bench/ndarray_bench.py), one run.
    .executableTarget(
      name: "ndarray-bench",
      dependencies: [.product(name: "NDArray", package: "swift-ndarray")]
    ),
    // matmul and Linalg.eigh beside NumPy (python-interop/bench/linalg_bench.py), one run.
    .executableTarget(
      name: "linalg-bench",
      dependencies: ["BenchTiming", .product(name: "NDArray", package: "swift-ndarray")]
    ),
    // sort, take, boolean masks and normals beside NumPy (python-interop/bench/ml_bench.py), one run.
    .executableTarget(
      name: "ml-bench",
      dependencies: ["BenchTiming", .product(name: "NDArray", package: "swift-ndarray")]
    ),
    // NPYIO load/save and npz deflate timings for python-interop/bench/npyio_bench.py.
    .executableTarget(
      name: "npyio-bench",
      dependencies: [
        "BenchTiming",
        .product(name: "NPYIO", package: "swift-ndarray"),
        .product(name: "NDArray", package: "swift-ndarray"),
      ]
    ),
    // The ZCA fit (exact covariance, eigh, matrix) beside NumPy (python-interop/bench/whiten_bench.py).
    .executableTarget(
      name: "whiten-bench",
      dependencies: [
        "BenchTiming",
        .product(name: "ImageDataset", package: "swift-ndarray"),
        .product(name: "NPYIO", package: "swift-ndarray"),
        .product(name: "NDArray", package: "swift-ndarray"),
      ]
    ),
    // Imaging's batch driver (python-interop/test_imaging_parity.py) and decode/resize
    // benchmark (python-interop/bench/imaging_bench.py).
    .executableTarget(
      name: "imaging-tool",
      dependencies: [
        .product(name: "Imaging", package: "swift-ndarray"),
        .product(name: "NDArray", package: "swift-ndarray"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
