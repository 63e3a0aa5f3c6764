import Foundation
import NDArray
import NPYIO

extension BatchLoader {
  /// A loader over a dataset normtool wrote: a `.npz` archive with members `x` and `y`, or
  /// a directory holding `x.npy` and `y.npy` (normtool's directory output).
  ///
  /// The NumPy equivalent is `np.load(path)` (a directory: `np.load(dir/"x.npy",
  /// mmap_mode="r")` and the same for `y`) fed to a PyTorch `DataLoader`. A directory's
  /// arrays are memory-mapped (NPYIO's `NPY.map(at:)`): opening costs O(1) and a
  /// batch touches only its own rows. An archive's members are read into memory (they may be
  /// compressed). Errors are ``BatchLoaderError`` or `NPYError`, one line naming the file.
  ///
  /// Extension point: another on-disk layout (such as a sharded stack of `.npy` files) needs
  /// only a way to produce `x` and `y` as arrays, then ``init(x:y:batchSize:shuffle:seed:dropLast:)``.
  public init(
    contentsOf url: URL, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0,
    dropLast: Bool = false
  ) throws {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
    let arrays: (x: NDArray<Feature>, y: NDArray<Label>)
    guard exists else { throw BatchLoaderError.notFound(file: url.path) }
    if isDirectory.boolValue {
      arrays = (
        try Self.mapped(Feature.self, url.appendingPathComponent("x.npy"), name: "x", dataset: url),
        try Self.mapped(Label.self, url.appendingPathComponent("y.npy"), name: "y", dataset: url)
      )
    } else if url.pathExtension.lowercased() == "npz" {
      let archive = try NPZReader(url: url)
      arrays = (try Self.member(Feature.self, "x", of: archive), try Self.member(Label.self, "y", of: archive))
    } else if url.pathExtension.lowercased() == "npy" {
      // A lone .npy holds x only; its labels come from init(features:labels:).
      throw BatchLoaderError.missingArray(file: url.path, name: "y")
    } else {
      throw BatchLoaderError.unsupportedSource(file: url.path)
    }
    try self.init(
      x: arrays.x, y: arrays.y, batchSize: batchSize, shuffle: shuffle, seed: seed,
      dropLast: dropLast, source: url.path)
  }

  /// A loader over two `.npy` files, features and labels, both memory-mapped
  /// (`np.load(x, mmap_mode="r")`, `np.load(y, mmap_mode="r")`).
  public init(
    features: URL, labels: URL, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0,
    dropLast: Bool = false
  ) throws {
    let x = try Self.mapped(Feature.self, features, name: "x", dataset: nil)
    let y = try Self.mapped(Label.self, labels, name: "y", dataset: nil)
    guard x.shape.first == y.shape.first else {
      throw BatchLoaderError.lengthMismatch(file: labels.path, samples: x.shape.first ?? 0, labels: y.shape.first ?? 0)
    }
    try self.init(
      x: x, y: y, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
      source: features.path)
  }

  private static func mapped<E: NDArrayElement>(
    _ type: E.Type, _ file: URL, name: String,
    dataset: URL?
  ) throws -> NDArray<E> {
    if let dataset, !FileManager.default.fileExists(atPath: file.path) {
      throw BatchLoaderError.missingArray(file: dataset.path, name: name)
    }
    return try typed(E.self, try NPY.map(at: file), name: name, file: file.path)
  }

  private static func member<E: NDArrayElement>(
    _ type: E.Type, _ name: String,
    of archive: NPZReader
  ) throws -> NDArray<E> {
    guard archive.memberNames.contains(name) else {
      throw BatchLoaderError.missingArray(file: archive.url.path, name: name)
    }
    return try typed(E.self, try archive.read(name), name: name, file: archive.url.path)
  }

  private static func typed<E: NDArrayElement>(
    _ type: E.Type, _ array: AnyNDArray, name: String,
    file: String
  ) throws -> NDArray<E> {
    guard let typed = array.typed(as: E.self) else {
      throw BatchLoaderError.dtypeMismatch(
        file: file, name: name, expected: E.dtype.description,
        found: array.dtype.description)
    }
    guard !typed.shape.isEmpty else { throw BatchLoaderError.zeroDimensional(file: file, name: name) }
    return typed
  }
}
