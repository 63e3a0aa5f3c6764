/// How pixel values are transformed (docs/design.md §6). `x` is the pixel divided by 255.
public enum NormalizationMode: String, Sendable, CaseIterable, Codable {
  /// Raw pixel values (the only mode that allows `uint8` output).
  case none
  /// `x` (Keras `Rescaling(1/255)`).
  case scale
  /// `x − mean`.
  case center
  /// `(x − mean) / std′` (`torchvision.transforms.Normalize`, `tf.image.per_image_standardization`
  /// with image statistics).
  case standardize
  /// `(clip((x − mean) / std′, −1, 1) + 1) / 2`: standardized, then into [0, 1].
  case positive
  /// `(x − min) / (max − min)`, and 0 where `max = min`.
  case minmax

  /// Whether the output depends on statistics (mean, std, min or max).
  public var usesStatistics: Bool { self != .none && self != .scale }
}

/// Whether statistics are kept per channel or pooled across channels.
public enum StatisticsScope: String, Sendable, CaseIterable, Codable {
  /// One statistic per channel (the seeds' "local" centering, `axis=(0, 1, 2)`).
  case channel
  /// One statistic over all channels (the seeds' "global" centering, `axis=None`).
  case global

  /// The scope of statistics over `axes` of (N, H, W, C) images: `[0, 1, 2]` per channel,
  /// `[0, 1, 2, 3]` global (NumPy's `axis=(0, 1, 2)` and `axis=None`); nil for other axes,
  /// which images of different sizes do not allow.
  public init?(reducedAxes axes: [Int]) {
    guard let scope = Self.allCases.first(where: { $0.reducedAxes == axes }) else { return nil }
    self = scope
  }

  /// The axes of (N, H, W, C) images the statistics reduce.
  public var reducedAxes: [Int] { self == .channel ? [0, 1, 2] : [0, 1, 2, 3] }
}

/// What the statistics are taken over (`--stats`).
public enum StatisticsSource: Sendable, Equatable, CustomStringConvertible {
  /// All images, exactly (the default; needs every image before the first output value).
  case dataset
  /// Each image alone (sample-wise).
  case image
  /// Each run of `size` consecutive images in output order; the last run may be shorter.
  case batch(size: Int)
  /// `count` images picked by ``SampleSelection`` with the conversion's seed.
  case sample(count: Int)
  /// ImageNet's published mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225).
  case imagenet
  /// Statistics saved by `--save-stats` from another folder (a training set).
  case file(path: String)
  /// Mean and std given as numbers (`--mean`, `--std`, or a ``ModelPreset``), stored on
  /// the unit scale like every ``NormalizationStatistics``.
  case given(NormalizationStatistics)

  /// Parses the `--stats` syntax: `dataset`, `image`, `batch:N`, `sample:K`, `imagenet`,
  /// or else the path of a statistics file (any name: `--save-stats` writes any name). The
  /// keywords come first, so a file called `dataset` is named `./dataset`. Returns nil for
  /// an empty string and for `batch:`/`sample:` without a count >= 1.
  public init?(argument: String) {
    switch argument {
    case "dataset": self = .dataset
    case "image": self = .image
    case "imagenet": self = .imagenet
    case "": return nil
    default:
      if argument.hasPrefix("batch:") {
        guard let n = Int(argument.dropFirst(6)), n >= 1 else { return nil }
        self = .batch(size: n)
      } else if argument.hasPrefix("sample:") {
        guard let k = Int(argument.dropFirst(7)), k >= 1 else { return nil }
        self = .sample(count: k)
      } else {
        self = .file(path: argument)
      }
    }
  }

  /// The `--stats` spelling.
  public var description: String {
    switch self {
    case .dataset: return "dataset"
    case .image: return "image"
    case .batch(let n): return "batch:\(n)"
    case .sample(let k): return "sample:\(k)"
    case .imagenet: return "imagenet"
    case .file(let path): return path
    case .given: return "given"
    }
  }
}

/// The axis order of `x` (`--layout`).
public enum OutputLayout: String, Sendable, CaseIterable, Codable {
  /// (N, H, W, C): TensorFlow / Keras order, what images decode to.
  case nhwc
  /// (N, C, H, W): PyTorch order (`numpy.transpose(x, (0, 3, 1, 2))`).
  case nchw
}
