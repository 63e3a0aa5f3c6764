import Foundation
import Imaging

/// A framework whose preprocessing `--export` writes from the run's statistics.
///
/// The equivalents: Hugging Face `ViTImageProcessor` (`preprocessor_config.json`),
/// torchvision `transforms.Normalize(mean, std)`, Keras `layers.Normalization(mean=…,
/// variance=…)`, timm's `pretrained_cfg`.
public enum ExportTarget: String, Sendable, CaseIterable, Codable {
  /// Hugging Face transformers: `preprocessor_config.json` for `AutoImageProcessor`.
  case hf
  /// torchvision: a Python file defining `normalize` and `transform`.
  case torchvision
  /// Keras 3: the `Normalization` layer's config, as JSON.
  case keras
  /// timm: a `pretrained_cfg` fragment, as JSON.
  case timm

  /// The file written for this target.
  public var fileName: String {
    switch self {
    case .hf: return "preprocessor_config.json"
    case .torchvision: return "torchvision_normalize.py"
    case .keras: return "keras_normalization.json"
    case .timm: return "timm_pretrained_cfg.json"
    }
  }

  /// Parses `hf,torchvision,keras,timm` (any subset, any order; repeats refused).
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` naming the unknown or repeated name.
  public static func parseList(_ text: String) throws(ConversionError) -> [ExportTarget] {
    var targets: [ExportTarget] = []
    for name in text.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
      guard let target = ExportTarget(rawValue: trimmed) else {
        throw .invalidOptions(
          "--export: expected names from \(allCases.map(\.rawValue).joined(separator: ", ")) separated by commas, found '\(name)'"
        )
      }
      if targets.contains(target) { throw .invalidOptions("--export: '\(target.rawValue)' is listed twice") }
      targets.append(target)
    }
    return targets
  }

  /// Why this target cannot express a run with `options`, or nil when it can.
  ///
  /// Every target carries one fixed mean and std, so statistics of each image or batch
  /// cannot be exported; only `standardize`, `center` and `scale` are an affine map of
  /// `pixel / 255`; `--resize pad` (letterboxing) and, for the targets that resize, `crop`
  /// (`ImageOps.fit` crops before resizing) have no equivalent; a `ViTImageProcessor`
  /// always makes three channels; only Keras's layers take BGR input as it comes; none of
  /// them whitens or centre-crops after a short-side resize here.
  public func refusal(for options: ConversionOptions) -> String? {
    switch options.statistics {
    case .image, .batch:
      return
        "\(rawValue) takes one mean and std for every image; --stats \(options.statistics.description) normalizes each image or batch with its own"
    default: break
    }
    switch options.normalization {
    case .standardize, .center, .scale: break
    default:
      return
        "\(rawValue) expresses (pixel / 255 - mean) / std only; --normalize \(options.normalization.rawValue) is not of that form"
    }
    if options.resizeMode == .pad {
      return "\(rawValue) cannot express --resize pad (ImageOps.pad letterboxing)"
    }
    if options.resizeMode == .crop && self != .keras {
      return "\(rawValue) resizes without cropping first; --resize crop (ImageOps.fit) has no equivalent there"
    }
    if options.depth != .eight {
      return "\(rawValue) rescales 8-bit pixels by 1/255; --depth \(options.depth.rawValue) values (v / 65535) have no equivalent there"
    }
    if options.resizeMode == .shortSideCrop {
      return
        "\(rawValue) export writes a plain resize; --resize short-side-crop (Resize(N) + CenterCrop) is not expressed"
    }
    if options.valueScale != .unit && options.normalization != .standardize && (self == .torchvision || self == .timm) {
      return
        "\(rawValue) divides pixels by 255 first (ToTensor); --scale \(options.valueScale.rawValue) with --normalize \(options.normalization.rawValue) is not of that form"
    }
    if options.channelOrder == .bgr && self != .keras {
      return "\(rawValue) feeds RGB images to the model; --channel-order bgr has no equivalent there"
    }
    if let whitening = options.whitening {
      return "\(rawValue) has no whitening step; --whiten \(whitening.method.rawValue) cannot be exported"
    }
    if options.color == .gray && self == .hf {
      return "hf's ViTImageProcessor makes three-channel images; --color gray has no equivalent"
    }
    return nil
  }
}

/// What every export is written from: the run's size, filter, classes and the statistics
/// it applied, on the unit scale (`pixel / 255`), one entry per channel.
///
/// The NumPy equivalent of what the exports describe is `(x / 255 - mean) / std` on the
/// resized image, with `mean` and `std` below.
struct ExportContext {
  var width: Int
  var height: Int
  var channels: Int
  var filter: ResizeFilter
  /// The applied means per channel (0 for `--normalize scale`).
  var mean: [Double]
  /// The applied standard deviations per channel, `std′ = max(std, 1/√n)` (1 for `scale`
  /// and `center`).
  var std: [Double]
  var classes: [String]
  /// The run's ``ModelPreset`` (`--preset`), nil when none.
  var preset: String?
  /// The channel order of `x` (only Keras's export takes BGR).
  var channelOrder: ChannelOrder
  /// What the normalization saw: `pixel / 255` (unit) or the pixel (255, the caffe style).
  var valueScale: ValueScale

  /// The factor a target's rescaling step multiplies pixels by: 1/255, or 1 on the 255 scale.
  var rescaleFactor: Double { valueScale == .unit ? 1 / 255 : 1 }
  /// ``mean`` on the scale the normalization saw (×255 on the 255 scale).
  var scaledMean: [Double] { mean.map { $0 * valueScale.divisor } }
  /// Whether the run divided by its standard deviations (`standardize`), not by 1.
  var dividesByStd: Bool
  /// ``std`` on the scale the normalization saw (×255 on the 255 scale; 1 stays 1).
  var scaledStd: [Double] { dividesByStd ? std.map { $0 * valueScale.divisor } : std }

  /// The context of a run: `statistics` are the ones applied (one entry for `--scope
  /// global`, repeated per channel here).
  init(
    options: ConversionOptions, width: Int, height: Int,
    statistics: NormalizationStatistics, classes: [String]
  ) {
    self.width = width
    self.height = height
    self.channels = options.channels
    self.filter = options.filter
    self.classes = classes
    self.preset = options.preset
    self.channelOrder = options.channelOrder
    self.valueScale = options.valueScale
    self.dividesByStd = options.normalization == .standardize
    let channels = options.channels
    func perChannel(_ values: [Double]) -> [Double] {
      values.count == channels ? values : [Double](repeating: values[0], count: channels)
    }
    let ones = [Double](repeating: 1, count: channels)
    switch options.normalization {
    case .scale:
      mean = [Double](repeating: 0, count: channels); std = ones
    case .center:
      mean = perChannel(statistics.mean); std = ones
    default:
      mean = perChannel(statistics.mean); std = perChannel(statistics.adjustedStd)
    }
  }

  /// The file contents of `target`.
  func render(_ target: ExportTarget) -> String {
    switch target {
    case .hf: return HuggingFaceExport.render(self)
    case .torchvision: return TorchvisionExport.render(self)
    case .keras: return KerasExport.render(self)
    case .timm: return TimmExport.render(self)
    }
  }

  /// A list of doubles as JSON.
  static func list(_ values: [Double]) -> JSONValue { .array(values.map { .double($0) }) }
}
