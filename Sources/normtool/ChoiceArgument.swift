import ArgumentParser
import ImageDataset
import Imaging
import NDArray

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
extension ResizeMode: ExpressibleByArgument, ChoiceArgument {}
extension ResizeFilter: ExpressibleByArgument, ChoiceArgument {}
extension ColorMode: ExpressibleByArgument, ChoiceArgument {}
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
