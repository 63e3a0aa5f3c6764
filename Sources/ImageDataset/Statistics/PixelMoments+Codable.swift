/// `PixelMoments` as JSON: integer lists, exact (JSON numbers up to 2⁶⁴ − 1 read back as
/// `UInt64`). Shard markers carry them to `normtool shard merge`.
extension PixelMoments: Codable {
  enum CodingKeys: String, CodingKey {
    case count, sum
    case sumOfSquares = "sum_of_squares"
    case minimum = "min"
    case maximum = "max"
  }

  /// Reads the lists; they must have one entry per channel.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let count = try container.decode([UInt64].self, forKey: .count)
    self.init(channels: count.count)
    self.count = count
    sum = try container.decode([UInt64].self, forKey: .sum)
    sumOfSquares = try container.decode([UInt64].self, forKey: .sumOfSquares)
    minimum = try container.decode([UInt8].self, forKey: .minimum)
    maximum = try container.decode([UInt8].self, forKey: .maximum)
    guard [sum.count, sumOfSquares.count, minimum.count, maximum.count].allSatisfy({ $0 == count.count }) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "expected one value per channel in every list"))
    }
  }

  /// Writes the lists.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(count, forKey: .count)
    try container.encode(sum, forKey: .sum)
    try container.encode(sumOfSquares, forKey: .sumOfSquares)
    try container.encode(minimum, forKey: .minimum)
    try container.encode(maximum, forKey: .maximum)
  }
}
