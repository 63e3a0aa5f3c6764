/// `PixelMoments` as JSON: integer lists, exact (JSON numbers up to 2⁶⁴ − 1 read back as
/// `UInt64`; a 128-bit sum of squares beyond that is written as a decimal string). Shard
/// markers carry them to `normtool shard merge`. `max_value` is written only for 16-bit
/// moments (65535), so 8-bit markers read and hash as before.
extension PixelMoments: Codable {
  enum CodingKeys: String, CodingKey {
    case count, sum
    case sumOfSquares = "sum_of_squares"
    case minimum = "min"
    case maximum = "max"
    case maximumValue = "max_value"
  }

  /// Reads the lists; they must have one entry per channel, none above `max_value`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let count = try container.decode([UInt64].self, forKey: .count)
    let maximumValue = try container.decodeIfPresent(UInt16.self, forKey: .maximumValue) ?? 255
    self.init(channels: count.count, maximumValue: maximumValue)
    self.count = count
    sum = try container.decode([UInt64].self, forKey: .sum)
    var squares = try container.nestedUnkeyedContainer(forKey: .sumOfSquares)
    sumOfSquares = []
    while !squares.isAtEnd {
      if let small = try? squares.decode(UInt64.self) {
        sumOfSquares.append(UInt128(small))
      } else if let large = UInt128(try squares.decode(String.self)) {
        sumOfSquares.append(large)
      } else {
        throw DecodingError.dataCorruptedError(
          in: squares, debugDescription: "expected a whole number in sum_of_squares")
      }
    }
    minimum = try container.decode([UInt16].self, forKey: .minimum)
    maximum = try container.decode([UInt16].self, forKey: .maximum)
    guard [sum.count, sumOfSquares.count, minimum.count, maximum.count].allSatisfy({ $0 == count.count }) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "expected one value per channel in every list"))
    }
    guard (minimum + maximum).allSatisfy({ $0 <= maximumValue }) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "expected min and max up to \(maximumValue)"))
    }
  }

  /// Writes the lists.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(count, forKey: .count)
    try container.encode(sum, forKey: .sum)
    var squares = container.nestedUnkeyedContainer(forKey: .sumOfSquares)
    for value in sumOfSquares {
      if let small = UInt64(exactly: value) { try squares.encode(small) } else { try squares.encode(value.description) }
    }
    try container.encode(minimum, forKey: .minimum)
    try container.encode(maximum, forKey: .maximum)
    if maximumValue != 255 { try container.encode(maximumValue, forKey: .maximumValue) }
  }
}
