import Foundation

/// How a plan's images are divided into splits (`--split`, `--split-like keras`).
///
/// The scikit-learn equivalent is `train_test_split(..., stratify=y, random_state=seed)`
/// (or `GroupShuffleSplit` with groups); the Keras one is
/// `image_dataset_from_directory(validation_split=F, seed=S)`.
public struct SplitRule: Sendable, Equatable, Codable {
  /// A split's name and the fraction of the images it gets.
  public struct Part: Sendable, Equatable, Codable {
    /// The split's name: letters, digits, `_` and `-` (it names the output file).
    public var name: String
    /// Its fraction of the images, in `[0, 1]`.
    public var fraction: Double

    /// A part.
    public init(name: String, fraction: Double) {
      self.name = name
      self.fraction = fraction
    }
  }

  /// The splits in output order, with their fractions (summing to 1).
  public var parts: [Part]
  /// The seed of the shuffle (NumPy's `default_rng(seed)`; Keras: `RandomState(seed)`).
  public var seed: UInt64
  /// Whether each class is split on its own (the default; `--no-stratify` turns it off).
  public var stratify: Bool
  /// The label-file column whose values are groups that must stay in one split.
  public var groupColumn: String?
  /// `--split-like keras --validation-split F`: Keras's file order, `RandomState(seed)
  /// .shuffle`, the last `int(F * n)` files to `val` (``parts`` is then train and val).
  public var kerasValidationSplit: Double?

  /// A rule.
  public init(
    parts: [Part], seed: UInt64 = 0, stratify: Bool = true, groupColumn: String? = nil,
    kerasValidationSplit: Double? = nil
  ) {
    self.parts = parts
    self.seed = seed
    self.stratify = stratify
    self.groupColumn = groupColumn
    self.kerasValidationSplit = kerasValidationSplit
  }

  /// Keras's split: `train` gets `1 - fraction`, `val` gets `fraction`.
  public static func keras(validationSplit fraction: Double, seed: UInt64) -> SplitRule {
    SplitRule(
      parts: [Part(name: "train", fraction: 1 - fraction), Part(name: "val", fraction: fraction)],
      seed: seed, stratify: false, kerasValidationSplit: fraction)
  }

  /// Parses `train=0.8,val=0.1,test=0.1`; nil names the problem in `error`.
  ///
  /// Names must be distinct, made of letters, digits, `_` and `-`; fractions in `[0, 1]`
  /// summing to 1 within 1e-9.
  public static func parts(argument: String) -> Result<[Part], ConversionError> {
    var parts: [Part] = []
    for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
      let pair = item.split(separator: "=", omittingEmptySubsequences: false)
      let name = pair.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
      guard pair.count == 2, let fraction = Double(pair[1].trimmingCharacters(in: .whitespaces)),
        fraction >= 0, fraction <= 1, isSplitName(name)
      else {
        return .failure(
          .invalidOptions(
            "--split: expected NAME=FRACTION pairs such as train=0.8,val=0.1,test=0.1, found '\(item)'"))
      }
      if parts.contains(where: { $0.name == name }) {
        return .failure(.invalidOptions("--split: '\(name)' is named twice"))
      }
      parts.append(Part(name: name, fraction: fraction))
    }
    let total = parts.reduce(0) { $0 + $1.fraction }
    if abs(total - 1) > 1e-9 {
      return .failure(.invalidOptions("--split: the fractions must sum to 1, found \(total)"))
    }
    return .success(parts)
  }

  /// Whether `name` can name a split (and so an output file).
  public static func isSplitName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 64
      && name.unicodeScalars.allSatisfy {
        ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-"
      }
  }
}
