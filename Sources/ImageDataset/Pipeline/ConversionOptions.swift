import Foundation
import Imaging
import NDArray

/// Width and height of the output images, in pixels (Pillow's `(width, height)` order).
public struct ImageSize: Sendable, Equatable, Codable, CustomStringConvertible {
  /// Columns.
  public var width: Int
  /// Rows.
  public var height: Int

  /// A size; traps unless both sides are positive.
  public init(width: Int, height: Int) {
    precondition(width > 0 && height > 0, "image size \(width)x\(height) must be positive")
    self.width = width
    self.height = height
  }

  /// Parses `N` (N×N) or `WxH`; nil for anything else or a side < 1.
  public init?(argument: String) {
    let parts = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 2,
      let w = Int(parts[0]), let h = Int(parts.count == 2 ? parts[1] : parts[0]),
      w > 0, h > 0, w <= 1 << 16, h <= 1 << 16
    else { return nil }
    self.init(width: w, height: h)
  }

  /// `WxH`.
  public var description: String { "\(width)x\(height)" }
}

/// What to do with a file that cannot be decoded, or has the wrong size (`--on-error`).
public enum ErrorPolicy: String, Sendable, CaseIterable, Codable {
  /// Stop with an error naming the file; no output is written.
  case fail
  /// Leave the file out, name it in the report and in the `skipped` output.
  case skip
}

/// What to do with exact duplicates (`--dedupe`).
public enum DedupePolicy: String, Sendable, CaseIterable, Codable {
  /// Keep every image; the summary and `duplicates.csv` still list the duplicates.
  case none
  /// Keep the first image of each content (in file order) and drop the later ones; the
  /// drops are listed like skipped files (the `dropped` member).
  case keepFirst = "keep-first"
}

/// Everything `normtool convert` can be told (docs/design.md §5), with its defaults.
public struct ConversionOptions: Sendable, Equatable {
  /// Output image size; nil keeps each image's size, and then all must share one size.
  public var size: ImageSize? = nil
  /// How the aspect ratio is handled when resizing.
  public var resizeMode: ResizeMode = .stretch
  /// The side ``ResizeMode/shortSideCrop`` resizes the shorter image side to before the
  /// centre crop (torchvision's `Resize(N)`); nil means the shorter side of ``size``.
  public var shortSide: Int? = nil
  /// The resampling filter (Pillow's `Image.Resampling`).
  public var filter: ResizeFilter = .bilinear
  /// RGB (3 channels) or grayscale (1 channel), converted the way Pillow's `convert` does.
  public var color: ColorMode = .rgb
  /// Whether to rotate by the EXIF orientation tag (Pillow's `ImageOps.exif_transpose`).
  public var applyEXIFOrientation = false
  /// The order of the colour channels in `x` (BGR for caffe-trained models).
  public var channelOrder: ChannelOrder = .rgb
  /// Bits per sample: 8 (Pillow's behaviour) or 16 (16-bit files keep full precision; the
  /// unit scale is then value / 65535).
  public var depth: SampleDepth = .eight
  /// Composite images with transparency onto this colour before alpha is dropped
  /// (`Image.alpha_composite`); nil drops alpha as Pillow's `convert("RGB")` does.
  public var alphaBackground: BackgroundColor? = nil
  /// Decode JPEGs with DCT scaling to at least ``size`` first (Pillow's
  /// `Image.draft("RGB", size)` before `resize`, as `Image.thumbnail` does): much faster for
  /// large photos, and different pixels from a full decode. Needs ``size``.
  public var draft = false
  /// The normalization.
  public var normalization: NormalizationMode = .standardize
  /// The values the normalization sees, pixel / 255 or the pixel; statistics are on this
  /// scale in the outputs (`stats.json` then says `"scale": 255`).
  public var valueScale: ValueScale = .unit
  /// How each output value is computed: Float64 rounded once, or the frameworks' Float32
  /// steps (what presets use).
  public var arithmetic: NormalizationArithmetic = .float64
  /// The name of the ``ModelPreset`` these options came from, recorded in the outputs.
  public var preset: String? = nil
  /// The options given explicitly over the preset's (`--size`, …), for the summary.
  public var presetOverrides: [String] = []
  /// Statistics per channel or across channels.
  public var scope: StatisticsScope = .channel
  /// What the statistics are computed over.
  public var statistics: StatisticsSource = .dataset
  /// Where to save the statistics as JSON, besides the output.
  public var saveStatisticsTo: URL? = nil
  /// The element type of `x`, one of ``NDArray/DType/outputChoices``; nil means
  /// ``NDArray/DType/defaultOutput(for:depth:)``.
  public var dtype: DType? = nil
  /// The axis order of `x`.
  public var layout: OutputLayout = .nhwc
  /// Deflate the members of an `.npz` (`numpy.savez_compressed`).
  public var compress = false
  /// Threads decoding and resizing; the output is the same for every value.
  public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
  /// What to do with a bad file.
  public var onError: ErrorPolicy = .fail
  /// The seed of ``StatisticsSource/sample(count:)``.
  public var seed: UInt64 = 0
  /// The class names in label order (`--classes`, Keras's `class_names`); nil sorts the
  /// class folders by name (or takes a `--stats` file's training classes). Class folders
  /// not listed are an error; listed classes may be missing.
  public var classes: [String]? = nil
  /// Whitening after centring (`--whiten`, `--whiten-scope`, `--whiten-epsilon`); nil: none.
  public var whitening: WhiteningOptions? = nil
  /// What to do with exact duplicates.
  public var dedupe: DedupePolicy = .none
  /// The frameworks whose preprocessing is written beside the output (`--export`).
  public var exports: [ExportTarget] = []

  /// The defaults.
  public init() {}

  /// The element type actually written.
  public var resolvedDType: DType { dtype ?? .defaultOutput(for: normalization, depth: depth) }

  /// The number of channels of every image.
  public var channels: Int { color.channels }

  /// How each file is decoded (colour mode, EXIF orientation, draft, alpha background): the
  /// Pillow equivalent of `Image.open` then `draft`, `exif_transpose`, `alpha_composite`
  /// and `convert`.
  public var decodeOptions: DecodeOptions {
    DecodeOptions(
      mode: color, applyEXIFOrientation: applyEXIFOrientation,
      draft: draft ? size.map { ($0.width, $0.height) } : nil, alphaBackground: alphaBackground)
  }

  /// Checks the combinations docs/design.md §5 forbids.
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` naming the conflict.
  public func validate() throws(ConversionError) {
    if !DType.outputChoices.contains(resolvedDType) {
      throw .invalidOptions(
        "--dtype: expected one of \(DType.outputChoices.map(\.rawValue).joined(separator: ", ")), found \(resolvedDType.rawValue)"
      )
    }
    if (resolvedDType == .uint8 || resolvedDType == .uint16) && normalization != .none {
      throw .invalidOptions(
        "--dtype \(resolvedDType.rawValue) needs --normalize none (found --normalize \(normalization.rawValue))")
    }
    if resolvedDType == .uint16 && depth != .sixteen {
      throw .invalidOptions("--dtype uint16 needs --depth 16 (8-bit samples are uint8)")
    }
    if resolvedDType == .uint8 && depth == .sixteen {
      throw .invalidOptions("--dtype uint8 would drop the low byte of --depth 16 samples; use uint16")
    }
    if draft && size == nil {
      throw .invalidOptions("--draft needs --size (the size the JPEG is drafted to)")
    }
    if alphaBackground != nil && color == .rgba {
      throw .invalidOptions("--alpha-background drops alpha, --color rgba keeps it; give one of them")
    }
    // --scale 255 and the presets are 8-bit conventions (docs/design.md §6).
    if depth == .sixteen, let preset {
      throw .invalidOptions(
        "--depth 16 with --preset \(preset): presets prepare 8-bit pixels as their frameworks do; use --depth 8 or no preset"
      )
    }
    if depth == .sixteen && valueScale == .pixel {
      throw .invalidOptions(
        "--depth 16 with --scale 255: the 0-255 scale is for 8-bit pixels; use --scale unit (value / 65535)")
    }
    if jobs < 1 { throw .invalidOptions("--jobs must be at least 1 (found \(jobs))") }
    if let size {
      // Checked products: a size from the library API can be any positive Int.
      var bytes = size.width.multipliedReportingOverflow(by: size.height)
      for factor in [channels, resolvedDType.itemSize] where !bytes.overflow {
        bytes = bytes.partialValue.multipliedReportingOverflow(by: factor)
      }
      if bytes.overflow || bytes.partialValue > 1 << 30 {
        throw .invalidOptions(
          "--size \(size): one \(resolvedDType.rawValue) image would exceed 1 GiB; expected a smaller size")
      }
    }
    if let classes {
      if classes.isEmpty || classes.contains(where: { $0.isEmpty || $0.contains("/") || $0.hasPrefix(".") }) {
        throw .invalidOptions("--classes: expected folder names separated by commas, found \(classes)")
      }
      if let repeated = classes.first(where: { name in classes.filter { $0 == name }.count > 1 }) {
        throw .invalidOptions("--classes: '\(repeated)' is listed twice")
      }
    }
    for target in exports {
      if let reason = target.refusal(for: self) { throw .invalidOptions("--export: \(reason)") }
    }
    if normalization == .minmax && statistics == .imagenet {
      throw .invalidOptions("--normalize minmax needs min and max statistics; --stats imagenet has only mean and std")
    }
    if channelOrder == .bgr && color != .rgb && color != .gray3 {
      throw .invalidOptions("--channel-order bgr needs 3-channel images (found --color \(color.rawValue))")
    }
    if let shortSide, !(1...(1 << 16)).contains(shortSide) {
      throw .invalidOptions("--short-side: expected a number of pixels from 1 to 65536, found \(shortSide)")
    }
    if shortSide != nil && resizeMode != .shortSideCrop {
      throw .invalidOptions(
        "--short-side applies to --resize short-side-crop only (found --resize \(resizeMode.rawValue))")
    }
    if resizeMode == .shortSideCrop && size == nil {
      throw .invalidOptions("--resize short-side-crop needs --size (the size of the centre crop)")
    }
    if case .given(let given) = statistics {
      try checkGiven(given)
      if normalization == .minmax {
        throw .invalidOptions("--normalize minmax needs min and max statistics; --mean/--std give only mean and std")
      }
    }
    if let whitening { try validate(whitening) }
  }

  /// Whether `--mean`/`--std` values fit: finite, std > 0, one entry per channel (one for
  /// `--scope global`), and within the scale's range.
  func checkGiven(_ given: NormalizationStatistics) throws(ConversionError) {
    let entries = scope == .global ? 1 : channels
    if given.mean.count != entries || given.std.count != entries {
      throw .invalidOptions(
        "--mean/--std: expected \(entries) values each (one per channel of \(channels)-channel images for --scope \(scope.rawValue)), found \(given.mean.count) and \(given.std.count)"
      )
    }
    let scaled = (given.mean + given.std).map { $0 * valueScale.divisor }
    if scaled.contains(where: { !$0.isFinite }) || given.std.contains(where: { !($0 > 0) }) {
      throw .invalidOptions("--mean/--std: expected finite values and std > 0")
    }
    if (given.mean + given.std).contains(where: { $0 > 1 || $0 < 0 }) {
      throw .invalidOptions(
        "--mean/--std: values outside [0, \(valueScale == .unit ? "1" : "255")] for --scale \(valueScale.rawValue)\(valueScale == .unit ? "; 0-255 values need --scale 255" : "")"
      )
    }
  }

  /// Where `--save-stats S.json` puts the whitening arrays: `S.whitening.npz` beside it.
  public var whiteningSidecar: URL? {
    guard whitening != nil, let saveTo = saveStatisticsTo else { return nil }
    return saveTo.deletingPathExtension().appendingPathExtension("whitening.npz")
  }

  /// The order is scale, centre with the dataset mean, whiten (docs/design.md §6).
  func validate(_ whitening: WhiteningOptions) throws(ConversionError) {
    let option = "--whiten \(whitening.method.rawValue)"
    if depth != .eight {
      throw .invalidOptions("\(option) works on 8-bit pixels; --depth \(depth.rawValue) is not supported with it")
    }
    if normalization != .center {
      throw .invalidOptions(
        "\(option) needs --normalize center (found \(normalization.rawValue)): pixels are scaled, centred with the dataset mean, then whitened"
      )
    }
    switch statistics {
    case .dataset, .file: break
    default:
      throw .invalidOptions(
        "\(option) needs --stats dataset or a statistics file saved with --whiten (found \(statistics.description))")
    }
    if scope != .channel {
      throw .invalidOptions(
        "\(option) centres with its own mean (per channel, or per value for --whiten-scope image); --scope \(scope.rawValue) does not apply"
      )
    }
    if !(whitening.epsilon > 0) || !whitening.epsilon.isFinite {
      throw .invalidOptions("--whiten-epsilon: expected a finite number > 0, found \(whitening.epsilon)")
    }
    if let size, let refusal = whitening.scope.refusal(width: size.width, height: size.height, channels: channels) {
      throw .invalidOptions(refusal)
    }
  }
}
