import Foundation

extension DatasetSummary {
  /// The summary as JSON, keys in a fixed order (docs/design.md §5 lists them).
  var json: JSONValue {
    func range(_ values: [Int]) -> JSONValue {
      guard let (low, median, high) = Self.minMedianMax(values) else { return .object([]) }
      return .object([("min", .int(low)), ("median", .double(median)), ("max", .int(high))])
    }
    let perClassJSON: [(String, JSONValue)] = perClass.map { ($0.name, JSONValue.int($0.images)) }
    let formatsJSON: [(String, JSONValue)] = formats.keys.sorted().map { ($0, JSONValue.int(formats[$0]!)) }
    let identical = duplicates.filter { $0.kind == .identicalFile }.count
    let duplicatesJSON: JSONValue = .object([
      ("identical_files", .int(identical)),
      ("same_pixels", .int(duplicates.count - identical)),
      ("across_splits", .int(duplicates.filter(\.crossesSplits).count)),
      ("dropped", .int(duplicates.filter(\.dropped).count)),
    ])
    let skippedJSON: [JSONValue] = skipped.map {
      JSONValue.object([("file", .string($0.file)), ("reason", .string($0.reason))])
    }
    var groupsJSON: [(String, JSONValue)] = []
    for group in ignoredByExtension() {
      let first: [JSONValue] = group.first.map { .string($0) }
      groupsJSON.append((group.extension, .object([("count", .int(group.count)), ("first", .array(first))])))
    }
    let ignoredJSON: JSONValue = .object([("count", .int(ignored.count)), ("by_extension", .object(groupsJSON))])
    let warningsJSON: [JSONValue] = warnings.map { .string($0) }
    var fields: [(String, JSONValue)] = [("format", .string("normtool-summary")), ("version", .int(1))]
    fields.append(("images", .int(images)))
    fields.append(("per_class", .object(perClassJSON)))
    if !perSplit.isEmpty {
      let splitsJSON: [(String, JSONValue)] = perSplit.indices.map { s in
        let counts: [(String, JSONValue)] = zip(perClass, perSplit[s].perClass).map { ($0.name, .int($1)) }
        return (perSplit[s].name, .object([("images", .int(splitImages[s])), ("per_class", .object(counts))]))
      }
      fields.append(("per_split", .object(splitsJSON)))
    }
    fields.append(("width", range(widths)))
    fields.append(("height", range(heights)))
    fields.append(("formats", .object(formatsJSON)))
    fields.append(("exif_rotated", .int(exifRotated)))
    fields.append(("sixteen_bit", .int(sixteenBit)))
    fields.append(("transparency", .int(transparency)))
    fields.append(("duplicates", duplicatesJSON))
    fields.append(("skipped", .array(skippedJSON)))
    fields.append(("ignored", ignoredJSON))
    fields.append(("warnings", .array(warningsJSON)))
    return .object(fields)
  }

  /// The summary file's bytes: the JSON and a newline.
  func encoded() -> Data { Data((json.rendered + "\n").utf8) }

  /// The lines `normtool convert` prints after its first lines (which give the images,
  /// classes, skipped and ignored counts): per class, sizes, formats, the counts of
  /// rotated, 16-bit and transparent images, duplicates, ignored files, warnings.
  public var lines: [String] {
    var lines: [String] = []
    if !perClass.isEmpty {
      lines.append("per class: " + perClass.map { "\($0.name) \($0.images)" }.joined(separator: ", "))
    }
    for s in perSplit.indices {
      let counts = zip(perClass, perSplit[s].perClass).map { "\($0.name) \($1)" }.joined(separator: ", ")
      lines.append("split \(perSplit[s].name): \(splitImages[s]) images" + (counts.isEmpty ? "" : " (\(counts))"))
    }
    if let (wl, wm, wh) = Self.minMedianMax(widths), let (hl, hm, hh) = Self.minMedianMax(heights) {
      lines.append(
        "source sizes: width min \(wl) median \(Self.number(wm)) max \(wh); height min \(hl) median \(Self.number(hm)) max \(hh)"
      )
      lines.append("formats: " + formats.keys.sorted().map { "\($0) \(formats[$0]!)" }.joined(separator: ", "))
      lines.append("EXIF rotation: \(exifRotated)  16-bit samples: \(sixteenBit)  transparency: \(transparency)")
    }
    let identical = duplicates.filter { $0.kind == .identicalFile }.count
    lines.append(
      "duplicates: \(duplicates.count) (identical files \(identical), same pixels \(duplicates.count - identical))"
        + (duplicates.contains(where: \.dropped) ? ", dropped \(duplicates.filter(\.dropped).count)" : ""))
    // Leaks across splits first: they matter most.
    let listed = duplicates.filter(\.crossesSplits) + duplicates.filter { !$0.crossesSplits }
    for duplicate in listed.prefix(5) {
      let splits =
        duplicate.split == nil && duplicate.originalSplit == nil
        ? ""
        : " (\(duplicate.split ?? "-") / \(duplicate.originalSplit ?? "-")\(duplicate.crossesSplits ? ", ACROSS SPLITS" : ""))"
      lines.append(
        "\(duplicate.dropped ? "dropped" : "duplicate") \(duplicate.file): \(duplicate.kind.rawValue) of \(duplicate.original)\(splits)"
      )
    }
    if duplicates.count > 5 { lines.append("… \(duplicates.count - 5) more duplicates") }
    for group in ignoredByExtension() {
      let more = group.count > group.first.count ? ", …" : ""
      lines.append(
        "ignored \(group.extension.isEmpty ? "(no extension)" : group.extension): \(group.count) (\(group.first.joined(separator: ", "))\(more))"
      )
    }
    for warning in warnings { lines.append("warning: \(warning)") }
    return lines
  }

  /// `12` for a whole number, `12.5` otherwise.
  static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
