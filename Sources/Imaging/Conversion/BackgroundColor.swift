import Foundation

/// An opaque colour that transparent pixels are composited onto (`--alpha-background`).
///
/// The Pillow equivalent is `Image.new("RGBA", size, (red, green, blue, 255))` used as the
/// destination of `Image.alpha_composite`.
public struct BackgroundColor: Sendable, Equatable {
  /// Red, 0…255.
  public var red: UInt8
  /// Green, 0…255.
  public var green: UInt8
  /// Blue, 0…255.
  public var blue: UInt8

  /// A background colour.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Parses `R,G,B` (three integers 0…255); nil for anything else.
  public init?(argument: String) {
    let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    let values = parts.compactMap { UInt8($0.trimmingCharacters(in: .whitespaces)) }
    guard values.count == 3 else { return nil }
    self.init(red: values[0], green: values[1], blue: values[2])
  }

  /// The colour as ``init(argument:)`` reads it: `R,G,B`.
  public var argument: String { "\(red),\(green),\(blue)" }
}
