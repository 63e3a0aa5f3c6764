import ArgumentParser
import ImageDataset
import Imaging
import NDArray
import NPYIO

/// An option whose value is one of a fixed set of names (`--resize stretch|crop|pad`):
/// `--help` lists the names (ArgumentParser's `allValueStrings`), and the value is matched
/// ignoring case, as `normtool` always has. The Python equivalent is argparse's `choices=`.
public protocol ChoiceArgument: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension ChoiceArgument {
  /// The case named `argument`, in any letter case.
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
  /// Every name, in declaration order.
  public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension NormalizationMode: ExpressibleByArgument, ChoiceArgument {}
extension StatisticsScope: ExpressibleByArgument, ChoiceArgument {}
extension OutputLayout: ExpressibleByArgument, ChoiceArgument {}
extension ErrorPolicy: ExpressibleByArgument, ChoiceArgument {}
extension DedupePolicy: ExpressibleByArgument, ChoiceArgument {}
extension ResizeMode: ExpressibleByArgument, ChoiceArgument {}
extension ResizeFilter: ExpressibleByArgument, ChoiceArgument {}
extension ColorMode: ExpressibleByArgument, ChoiceArgument {}
extension ChannelOrder: ExpressibleByArgument, ChoiceArgument {}
extension ValueScale: ExpressibleByArgument, ChoiceArgument {}
extension SampleDepth: ExpressibleByArgument, ChoiceArgument {}
extension Casting: ExpressibleByArgument {}
extension DType: ExpressibleByArgument {}

/// `convert --dtype`: one of ``NDArray/DType/outputChoices`` (NumPy's `dtype=` of `x`).
struct OutputDTypeArgument: ExpressibleByArgument {
  let dtype: DType

  init?(argument: String) {
    guard let dtype = DType(rawValue: argument.lowercased()), DType.outputChoices.contains(dtype) else { return nil }
    self.dtype = dtype
  }

  static var allValueStrings: [String] { DType.outputChoices.map(\.rawValue) }
}

/// `recode --order C|F` (either letter case): numpy's `order=`.
extension NPYMemoryOrder: ExpressibleByArgument {
  public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

/// `recode --npy-version 1|2|3` (or `1.0`, `2.0`, `3.0`): `numpy.lib.format`'s `version=`.
extension NPYVersion: ExpressibleByArgument {
  public init?(argument: String) {
    guard
      let version = [NPYVersion.v1, .v2, .v3].first(where: { argument == "\($0.major)" || argument == "\($0.major).0" })
    else { return nil }
    self = version
  }

  public static var allValueStrings: [String] { ["1", "2", "3"] }
}
