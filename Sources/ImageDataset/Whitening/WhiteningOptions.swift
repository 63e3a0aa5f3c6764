/// The whitening transform (`--whiten`).
public enum WhiteningMethod: String, Sendable, CaseIterable, Codable {
  /// Rotation onto the covariance's eigenvectors, largest eigenvalue first, each component
  /// scaled by `1/√(λ + ε)`: `diag(1/√(λ+ε))·Uᵀ` (scikit-learn's `PCA(whiten=True)` without
  /// dropping components).
  case pca
  /// `U·diag(1/√(λ+ε))·Uᵀ`: the whitening closest to the data (Keras's
  /// `ImageDataGenerator(zca_whitening=True).fit`).
  case zca
}

/// What one whitened vector is (`--whiten-scope`).
public enum WhiteningScope: String, Sendable, CaseIterable, Codable {
  /// One pixel's channels: a C×C colour covariance from every pixel, any image size
  /// (decorrelated colour, like AlexNet's colour PCA).
  case channel
  /// One flattened image: a D×D covariance, D = H·W·C ≤ ``WhiteningScope/maximumImageDimension``.
  case image

  /// The largest D that `image` whitening accepts: a 4096² float64 covariance is 128 MiB.
  public static let maximumImageDimension = 4096

  /// The length of one vector for images of `width`×`height`×`channels`.
  public func dimension(width: Int, height: Int, channels: Int) -> Int {
    self == .channel ? channels : width * height * channels
  }

  /// Nil when `image` whitening of images this size fits in bounded memory, otherwise
  /// the reason to refuse it, with the memory the covariance would need.
  public func refusal(width: Int, height: Int, channels: Int) -> String? {
    guard self == .image else { return nil }
    let d = width.multipliedReportingOverflow(by: height).partialValue.multipliedReportingOverflow(by: channels)
    if !d.overflow && d.partialValue <= Self.maximumImageDimension { return nil }
    let dimension = Double(width) * Double(height) * Double(channels)
    let bytes = dimension * dimension * 8
    return
      "--whiten-scope image: \(width)x\(height)x\(channels) images give D = \(Int(dimension)) values per image, above the limit of \(Self.maximumImageDimension); its D×D float64 covariance alone would need \(Self.byteText(bytes)) (and its eigendecomposition as much again); use --whiten-scope channel (a \(channels)x\(channels) colour covariance, any image size) or a smaller --size"
  }

  static func byteText(_ bytes: Double) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
    var value = bytes, unit = 0
    while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
    return unit == 0 ? "\(Int(bytes)) B" : "\((value * 10).rounded() / 10) \(units[unit])"
  }
}

/// `--whiten`, `--whiten-scope` and `--whiten-epsilon` together.
public struct WhiteningOptions: Sendable, Equatable, Codable {
  /// PCA or ZCA.
  public var method: WhiteningMethod
  /// Pixels (C×C) or whole images (D×D).
  public var scope: WhiteningScope
  /// ε added to every eigenvalue (Keras's `zca_epsilon`, default 1e-6).
  public var epsilon: Double

  /// Whitening by `method` over `scope` with `epsilon`.
  public init(method: WhiteningMethod, scope: WhiteningScope = .channel, epsilon: Double = 1e-6) {
    self.method = method
    self.scope = scope
    self.epsilon = epsilon
  }
}
