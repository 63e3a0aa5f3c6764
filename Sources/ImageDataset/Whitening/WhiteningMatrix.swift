import Foundation
import NDArray
import NPYIO

#if canImport(CMalloc) && os(Linux)
import CMalloc
#endif

/// A whitening transform fitted to a dataset: `y = matrix · (x − mean)` for each vector
/// `x` on the unit scale (a pixel's channels, or a flattened (H, W, C) image), so the
/// whitened training vectors have (nearly, by ε) identity covariance.
///
/// From the covariance `Σ = U·diag(λ)·Uᵀ` (``CovarianceAccumulator/covariance()``,
/// `numpy.linalg.eigh`): `zca` is `U·diag(1/√(λ+ε))·Uᵀ`, the formula of Keras's
/// `ImageDataGenerator.fit` (`(u * s_inv).dot(u.T)`); `pca` is `diag(1/√(λ+ε))·Uᵀ` with the
/// components ordered by decreasing eigenvalue. ``eigenvalues`` are in that order too.
/// Keras centres with the per-channel mean before its `X.T @ X / n`; here the mean is the
/// one of the vectors themselves (per pixel position and channel for `image`), so the
/// matrix whitens the true covariance.
///
/// Saved beside a dataset as `whitening`, `whitening_eigenvalues` and `whitening_mean`
/// (float64 `.npy` files or `.npz` members, ``write(to:)``), which `--stats FILE` reads
/// back (``read(from:)``) to whiten test data with the training matrix.
public struct WhiteningMatrix: Sendable {
  /// PCA or ZCA.
  public var method: WhiteningMethod
  /// Pixels or whole images.
  public var scope: WhiteningScope
  /// ε, added to every eigenvalue.
  public var epsilon: Double
  /// The mean subtracted first (D values, unit scale; C order of (H, W, C) for `image`).
  public var mean: [Double]
  /// The covariance's eigenvalues, largest first (D values).
  public var eigenvalues: [Double]
  /// D×D: row `i` gives output component `i` (`y = matrix @ (x - mean)`).
  public var matrix: NDArray<Double>
  /// How many vectors the covariance was measured over.
  public var vectors: Int64

  /// The member and file names: `whitening`, `whitening_eigenvalues`, `whitening_mean`.
  public static let memberNames = ["whitening", "whitening_eigenvalues", "whitening_mean"]

  /// D, the length of one vector.
  public var dimension: Int { mean.count }

  /// The relative gap below which the fit's MRRR treats close eigenvalues as a cluster
  /// (``SymmetricTridiagonalReduction/eigen(eigenvalues:eigenvectors:clusterGap:stage:)``):
  /// 1e-5 instead of LAPACK `dstemr`'s 1e-3. Image covariances have thousands of eigenvalues
  /// within a few decades, so at 1e-3 most of them fell into clusters, each refined by
  /// bisection (half of MRRR's time, 0.73 → 0.27–0.34 s at D = 3072). Nothing the fit returns
  /// depends on the difference: an eigenvector is still within about D·ε·‖Σ‖ / its absolute
  /// gap of the true one (a backward-stable solver's accuracy, NumPy's own), and rotating a
  /// close pair (λᵢ ≈ λⱼ) into each other by θ moves `U·f(Λ)·Uᵀ` by only θ·|f(λᵢ) − f(λⱼ)|.
  /// Measured at D = 3072 against `numpy.linalg.eigh`: eigenvectors orthogonal to 1.7e-11
  /// (6.7e-12 at 1e-3), the ZCA matrix within 1.0e-13 relative (6.6e-14 at 1e-3).
  static let clusterGap = 1e-5

  /// A matrix read back from a file, with its metadata.
  public init(
    method: WhiteningMethod, scope: WhiteningScope, epsilon: Double, mean: [Double],
    eigenvalues: [Double], matrix: NDArray<Double>, vectors: Int64
  ) {
    self.method = method
    self.scope = scope
    self.epsilon = epsilon
    self.mean = mean
    self.eigenvalues = eigenvalues
    self.matrix = matrix
    self.vectors = vectors
  }

  /// Fits the transform to exact covariance sums: the covariance once in Float64, its
  /// tridiagonal form `Σ = Q·T·Qᵀ` (LAPACK `dsytrd`), the eigenpairs `Σ = U·diag(λ)·Uᵀ`
  /// (MRRR on T in two runs on two threads, then `U = Q·Z`:
  /// ``SymmetricTridiagonalReduction/eigen(eigenvalues:eigenvectors:clusterGap:stage:)``), then the
  /// matrix (`numpy.linalg.eigh` and Keras's formula, in effect). ZCA's
  /// `U·diag(1/√(λ+ε))·Uᵀ = V·Vᵀ` with `V = U·diag((λ+ε)^-¼)` is formed in place by row
  /// blocks (``Linalg/replaceWithColumnGram(_:dimension:)``), equal to Keras's
  /// `(u * s_inv) @ u.T` up to rounding, and exactly symmetric; PCA's rows are U's scaled.
  ///
  /// Memory: 1.5 D×D Float64 matrices at most. The integer sums become the Float64
  /// covariance in their own memory (`sums` is emptied); `dsytrd` reduces it in place; its
  /// reflectors (D²/2 values) are kept and the covariance freed; T's eigenvectors are
  /// written into the matrix's storage and everything after happens there. `stage` is
  /// called after each step with its name (for timing).
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` when no vector was added, when
  ///   `λ + ε` is not positive for some eigenvalue, or when LAPACK does not converge.
  public init(
    fitting sums: inout CovarianceAccumulator, options: WhiteningOptions, stage: (String) -> Void = { _ in }
  ) throws(ConversionError) {
    guard sums.count > 0 else { throw .invalidOptions("--whiten: no images to measure the covariance of") }
    let vectorCount = sums.count
    let d = sums.dimension
    let mean = sums.mean
    var covariance: CovarianceStorage? = sums.takeCovarianceUpperTriangle()
    Self.returnFreedHeapMemory()
    stage("covariance to float64")
    var ascending = [Double](repeating: 0, count: d)
    var failure: ConversionError?
    let epsilon = options.epsilon
    // The reduction keeps D²/2 values, so the covariance is freed before the eigenvectors'
    // D² are allocated: 1.5·D² at most from here on.
    var reduction: SymmetricTridiagonalReduction?
    do {
      reduction = try covariance!.withDoubles { (a) throws(LinearAlgebraError) in
        try Linalg.tridiagonalReduction(overwriting: a, dimension: d)
      }
    } catch {
      throw .invalidOptions("--whiten: the eigendecomposition of the covariance failed: \(error)")
    }
    covariance = nil
    stage("tridiagonal reduction (dsytrd)")
    let matrix = NDArray<Double>(unsafeUninitializedShape: [d, d]) { output in
      do {
        try ascending.withUnsafeMutableBufferPointer { (w) throws(LinearAlgebraError) in
          try reduction.take()!.eigen(
            eigenvalues: w, eigenvectors: output, clusterGap: Self.clusterGap, stage: stage)
        }
      } catch {
        failure = .invalidOptions("--whiten: the eigendecomposition of the covariance failed: \(error)")
        output.update(repeating: 0)
        return
      }
      if let bad = ascending.first(where: { !($0 + epsilon > 0) }) {
        failure = .invalidOptions(
          "--whiten: eigenvalue \(bad) plus --whiten-epsilon \(epsilon) is not positive; use a larger --whiten-epsilon"
        )
        output.update(repeating: 0)
        return
      }
      // Row k of `output` is the eigenvector of the k-th smallest eigenvalue.
      switch options.method {
      case .zca:
        for k in 0..<d {
          let factor = 1 / (ascending[k] + epsilon).squareRoot().squareRoot()
          for j in 0..<d { output[k * d + j] *= factor }
        }
        Linalg.replaceWithColumnGram(output, dimension: d)
        stage("V·Vᵀ (dgemm by row blocks)")
      case .pca:
        // Row i becomes eigenvector d−1−i (largest first) times 1/√(λ+ε).
        for i in 0..<((d + 1) / 2) {
          let partner = d - 1 - i
          let (scale, partnerScale) = (
            1 / (ascending[partner] + epsilon).squareRoot(), 1 / (ascending[i] + epsilon).squareRoot()
          )
          for j in 0..<d {
            let (top, bottom) = (output[i * d + j], output[partner * d + j])
            output[i * d + j] = scale * bottom
            output[partner * d + j] = partnerScale * top
          }
        }
      }
    }
    if let failure { throw failure }
    self.init(
      method: options.method, scope: options.scope, epsilon: options.epsilon, mean: mean,
      eigenvalues: ascending.reversed(), matrix: matrix, vectors: vectorCount)
  }

  /// Hands memory the process has freed back to the system (glibc `malloc_trim`) before the
  /// fit's D×D allocations, the peak of a run: a heap tuned to keep freed blocks for reuse
  /// (normtool's `MallocTuning` keeps blocks under 32 MiB) would otherwise hold the pass's
  /// buffers through it — the Gram kernel's 12 MB blocks raised `normtool convert`'s peak by
  /// 25 MB. Elsewhere nothing.
  static func returnFreedHeapMemory() {
    #if canImport(CMalloc) && os(Linux)
    _ = malloc_trim(0)
    #endif
  }

  /// Writes the three arrays into `archive` as members ``memberNames``.
  func write(into archive: NPZWriter) throws {
    try archive.write(name: Self.memberNames[0], array: matrix)
    try archive.write(name: Self.memberNames[1], array: NDArray(eigenvalues))
    try archive.write(name: Self.memberNames[2], array: NDArray(mean))
  }

  /// Writes the three arrays as `.npy` files named ``memberNames`` in `folder`.
  func write(toFolder folder: URL) throws {
    try NPY.write(matrix, to: folder.appendingPathComponent(Self.memberNames[0] + ".npy"))
    try NPY.write(NDArray(eigenvalues), to: folder.appendingPathComponent(Self.memberNames[1] + ".npy"))
    try NPY.write(NDArray(mean), to: folder.appendingPathComponent(Self.memberNames[2] + ".npy"))
  }

  /// Writes an `.npz` holding the three arrays (the `--save-stats` sidecar).
  func write(to url: URL) throws {
    let archive = try NPZWriter(url: url)
    do {
      try write(into: archive)
      try archive.finish()
    } catch {
      archive.abort()
      throw error
    }
  }

  /// The record a stats file keeps: method, scope, ε, D, the vectors measured, and `file`,
  /// the arrays' location relative to the stats file's folder.
  func record(file: String) -> WhiteningRecord {
    WhiteningRecord(
      method: method, scope: scope, epsilon: epsilon, dimension: dimension, vectors: vectors, file: file)
  }

  /// Reads the arrays a ``WhiteningRecord`` of the stats file at `statsFile` names: an
  /// `.npz` with members ``memberNames``, or the `whitening.npy` of a dataset folder with
  /// its two sibling `.npy` files.
  ///
  /// - Throws: ``ConversionError/statisticsFile(path:reason:)`` naming the file that is
  ///   missing, unreadable, or whose arrays do not fit the record.
  public static func read(record: WhiteningRecord, statsFile: URL) throws(ConversionError) -> WhiteningMatrix {
    guard (1...WhiteningScope.maximumImageDimension).contains(record.dimension) else {
      throw .statisticsFile(
        path: statsFile.path,
        reason:
          "expected a whitening \"dimension\" from 1 to \(WhiteningScope.maximumImageDimension), found \(record.dimension)"
      )
    }
    let url = URL(fileURLWithPath: record.file, relativeTo: statsFile.deletingLastPathComponent()).standardizedFileURL
    var arrays: [NDArray<Double>] = []
    do {
      if url.pathExtension.lowercased() == "npz" {
        let archive = try NPZReader(url: url)
        for name in memberNames { arrays.append(try archive.read(Double.self, name)) }
      } else {
        let folder = url.deletingLastPathComponent()
        arrays.append(try NPY.read(Double.self, at: url))
        for name in memberNames.dropFirst() {
          arrays.append(try NPY.read(Double.self, at: folder.appendingPathComponent(name + ".npy")))
        }
      }
    } catch let error as ConversionError {
      throw error
    } catch {
      throw .statisticsFile(
        path: statsFile.path, reason: "its whitening arrays: \(FileSystemReason.text(of: error))")
    }
    let d = record.dimension
    let (matrix, eigenvalues, mean) = (arrays[0], arrays[1], arrays[2])
    guard matrix.shape == [d, d], eigenvalues.shape == [d], mean.shape == [d] else {
      throw .statisticsFile(
        path: url.path,
        reason:
          "expected a \(d)x\(d) whitening matrix with \(d) eigenvalues and \(d) means, found shapes \(matrix.shape), \(eigenvalues.shape), \(mean.shape)"
      )
    }
    guard matrix.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }), mean.flatElements.allSatisfy(\.isFinite)
    else {
      throw .statisticsFile(path: url.path, reason: "expected finite whitening values")
    }
    return WhiteningMatrix(
      method: record.method, scope: record.scope, epsilon: record.epsilon, mean: mean.flatElements,
      eigenvalues: eigenvalues.flatElements, matrix: matrix, vectors: record.vectors)
  }
}

/// What a stats file says about its whitening (`"whitening"` in `stats.json`,
/// docs/stats-schema.json): the arrays themselves are in `file`.
public struct WhiteningRecord: Sendable, Equatable, Codable {
  /// `pca` or `zca`.
  public var method: WhiteningMethod
  /// `channel` or `image`.
  public var scope: WhiteningScope
  /// ε.
  public var epsilon: Double
  /// D.
  public var dimension: Int
  /// Vectors (pixels or images) the covariance was measured over.
  public var vectors: Int64
  /// The `.npz` (or the `whitening.npy` of a dataset folder), relative to the stats file's folder.
  public var file: String
}
