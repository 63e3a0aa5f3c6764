import Foundation
import NDArray

/// How `normtool normalize` normalizes an array NumPy wrote.
///
/// The NumPy equivalent is the arguments of the hand-written
/// `m = a.mean(axis=axes, keepdims=True); s = a.std(axis=axes, keepdims=True); ((a - m) / s).astype(dtype)`.
public struct ArrayNormalizationOptions: Sendable {
  /// The formula (docs/design.md §6): `center`, `standardize`, `positive` or `minmax`; the
  /// values are taken as they are (no division by 255).
  public var mode: NormalizationMode
  /// The axes the statistics reduce (`mean(axis=...)`), sorted and non-negative; nil for all
  /// axes (one statistic over the whole array).
  public var reducedAxes: [Int]?
  /// A statistics file (`StatisticsReport`: `--save-stats` of another array, or `normtool
  /// stats ARRAY --json`) to apply instead of the array's own statistics.
  public var statisticsFile: URL?
  /// Where to write the statistics applied (a `StatisticsReport`), if anywhere.
  public var saveStatisticsTo: URL?
  /// The output dtype: `float32` (default), `float16` or `float64`.
  public var dtype: DType
  /// The `.npz` member to normalize (default: the only one, or `x` of a dataset).
  public var member: String?

  /// The modes that apply to arrays: those with statistics.
  public static let arrayModes: [NormalizationMode] = NormalizationMode.allCases.filter(\.usesStatistics)
  /// The output dtypes.
  public static let outputDTypes: [DType] = [.float16, .float32, .float64]

  /// Options with the defaults: standardize over all axes with the array's own statistics,
  /// to `float32`.
  public init(
    mode: NormalizationMode = .standardize, reducedAxes: [Int]? = nil, statisticsFile: URL? = nil,
    saveStatisticsTo: URL? = nil, dtype: DType = .float32, member: String? = nil
  ) {
    self.mode = mode
    self.reducedAxes = reducedAxes
    self.statisticsFile = statisticsFile
    self.saveStatisticsTo = saveStatisticsTo
    self.dtype = dtype
    self.member = member
  }

  /// Refuses a mode or dtype that does not apply to arrays.
  ///
  /// - Throws: ``ConversionError/invalidOptions(_:)`` saying what is allowed.
  public func validate() throws(ConversionError) {
    guard Self.arrayModes.contains(mode) else {
      throw .invalidOptions(
        "--normalize \(mode.rawValue) does not apply to arrays (their values are not pixels); use one of \(Self.arrayModes.map(\.rawValue).joined(separator: ", ")), or normtool recode to change the dtype"
      )
    }
    guard Self.outputDTypes.contains(dtype) else {
      throw .invalidOptions(
        "--dtype \(dtype): normalized values need a float dtype (\(Self.outputDTypes.map(\.rawValue).joined(separator: ", ")))"
      )
    }
  }
}

/// Why an array cannot be normalized (its options and files are fine).
public enum ArrayNormalizationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A NaN or infinity in the input, at `index`.
  case nonFinite(path: String, index: [Int], value: Double)
  /// A dtype that has no real values to normalize (complex).
  case unsupportedDType(path: String, dtype: DType)

  /// One line naming the file and the reason.
  public var description: String {
    switch self {
    case .nonFinite(let path, let index, let value):
      return
        "\(path): non-finite value \(value) at index \(index); normalize needs finite values (fix or mask them first)"
    case .unsupportedDType(let path, let dtype):
      return "\(path): cannot normalize a \(dtype) array; expected bool, integer or float values"
    }
  }
}
