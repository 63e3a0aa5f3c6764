// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "swift-ndarray",
  products: [
    .library(name: "NDArray", targets: ["NDArray"]),
    .library(name: "NPYIO", targets: ["NPYIO"]),
    .library(name: "Imaging", targets: ["Imaging"]),
    .library(name: "ImageDataset", targets: ["ImageDataset"]),
    .library(name: "NDArrayTraining", targets: ["NDArrayTraining"]),
    .executable(name: "normtool", targets: ["normtool"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    // SHA-256 for duplicate files and pixels and for plan names (BoringSSL: SHA extensions).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // MARK: - Public API

    .target(
      name: "NDArray",
      dependencies: [
        "CLinearAlgebra",
        .product(name: "ComplexModule", package: "swift-numerics"),
        .product(name: "RealModule", package: "swift-numerics"),
      ]
    ),
    .target(
      name: "NPYIO",
      dependencies: [
        "NDArray", "CZlib", "_ErrorText", "_FileSystem", "_ByteOrder",
        .product(name: "SystemPackage", package: "swift-system"),
      ]
    ),
    .target(name: "Imaging", dependencies: ["NDArray", "CImageCodecs", "_ErrorText", "_FileSystem", "_ByteOrder"]),
    .target(
      name: "ImageDataset",
      dependencies: [
        "NDArray", "NPYIO", "Imaging", "_ErrorText", "_FileSystem", "CIntegerGram", "CMalloc",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // Comparing arrays as numpy.testing.assert_allclose, streamed (issue 16 item 1): normtool compare.
    .target(name: "ArrayTools", dependencies: ["NDArray", "NPYIO", "_FileSystem"]),
    .executableTarget(
      name: "normtool",
      dependencies: [
        "ImageDataset", "Imaging", "NPYIO", "NDArray", "ArrayTools", "_ErrorText", "_FileSystem", "CMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Training batches (issue 14 item 5): BatchLoader over .npy, .npz and normtool's directory output.
    .target(name: "NDArrayTraining", dependencies: ["NDArray", "NPYIO"]),
    // The end-to-end Swift ML example (issue 14 item 6): a softmax classifier on the sample images.
    .executableTarget(
      name: "softmax-classifier", dependencies: ["NDArrayTraining", "NDArray", "NPYIO"],
      path: "Examples/SoftmaxClassifier"),
    .executableTarget(
      name: "convert-example", dependencies: ["ImageDataset", "NPYIO", "NDArray"],
      path: "Examples/Swift"),

    // MARK: - Implementation details

    .target(name: "_ErrorText"),
    // The one file layer (issue 10 item 1): swift-system plus what it lacks.
    .target(name: "_FileSystem", dependencies: [.product(name: "SystemPackage", package: "swift-system")]),
    // Integers of either byte order in binary records (zip, .npy, EXIF): issue 10 item 5.
    .target(name: "_ByteOrder"),
    // The exact uint8 Gram kernel (AVX-512 VNNI, runtime dispatch) behind the whitening covariance (issue 15).
    .target(name: "CIntegerGram"),

    // glibc's mallopt for normtool's MallocTuning (a header only: nothing to link).
    .systemLibrary(name: "CMalloc"),
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
    ),
    // CBLAS (OpenBLAS) and LAPACKE behind NDArray's matmul and Linalg (Sources/NDArray/NDArray.docc/LinearAlgebra.md).
    .systemLibrary(
      name: "CLinearAlgebra",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"]), .brew(["openblas", "lapack"])]
    ),
    // WebP and TIFF come from the system (Debian: `make deps` installs them).
    .systemLibrary(
      name: "CWebP",
      pkgConfig: "libwebpdemux",
      providers: [.apt(["libwebp-dev"]), .brew(["webp"])]
    ),
    .systemLibrary(
      name: "CTIFF",
      pkgConfig: "libtiff-4",
      providers: [.apt(["libtiff-dev"]), .brew(["libtiff"])]
    ),
    // libdeflate (Debian's libdeflate-dev, which libtiff-dev brings) inflates the common PNG
    // in one call (PNGFastDecode.c); zlib checks its chunk CRCs.
    .target(
      name: "CImageCodecs",
      dependencies: ["CWebP", "CTIFF"],
      linkerSettings: [
        .linkedLibrary("jpeg"), .linkedLibrary("png"), .linkedLibrary("z"), .linkedLibrary("deflate"),
        .linkedLibrary("webpdemux"), .linkedLibrary("webp"), .linkedLibrary("tiff"),
      ]
    ),

    // MARK: - Tests

    .testTarget(name: "NDArrayTests", dependencies: ["NDArray"]),
    .testTarget(name: "NPYIOTests", dependencies: ["NPYIO", "NDArray"]),
    .testTarget(name: "ImagingTests", dependencies: ["Imaging", "NDArray"]),
    .testTarget(name: "ImageDatasetTests", dependencies: ["ImageDataset", "NPYIO", "Imaging", "NDArray"]),
    .testTarget(name: "NormtoolTests", dependencies: ["normtool", "convert-example", "NPYIO", "NDArray"]),
    .testTarget(name: "NDArrayTrainingTests", dependencies: ["NDArrayTraining", "NPYIO", "NDArray"]),
    .testTarget(name: "ByteOrderTests", dependencies: ["_ByteOrder"]),
    .testTarget(name: "ArrayToolsTests", dependencies: ["ArrayTools", "NPYIO", "NDArray"]),
    .testTarget(
      name: "FileSystemTests",
      dependencies: ["_FileSystem", "NPYIO", "Imaging", .product(name: "SystemPackage", package: "swift-system")]
    ),
    .testTarget(
      name: "HostileInputTests", dependencies: ["HostileInputHarness", "NPYIO", "Imaging", "NDArray", "_ErrorText"]),

    // MARK: - Fuzzing (Fuzz/run.sh builds these with libFuzzer; plain builds replay the corpus)

    .target(name: "HostileInputHarness", dependencies: ["NPYIO", "Imaging", "NDArray"], path: "Fuzz/Harness"),
    .executableTarget(
      name: "fuzz-npy-header", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-npy-header"),
    .executableTarget(name: "fuzz-npz", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-npz"),
    .executableTarget(name: "fuzz-png", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-png"),
    .executableTarget(name: "fuzz-jpeg", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-jpeg"),
    .executableTarget(name: "fuzz-bmp", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-bmp"),
    .executableTarget(name: "fuzz-pnm", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-pnm"),
    .executableTarget(name: "fuzz-gif", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-gif"),
    .executableTarget(name: "fuzz-webp", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-webp"),
    .executableTarget(name: "fuzz-tiff", dependencies: ["HostileInputHarness"], path: "Fuzz/Targets/fuzz-tiff"),
  ],
  swiftLanguageModes: [.v6]
)
