import Foundation

extension DatasetPlan {
  /// What `--dry-run` prints: images per class and split, file formats (by extension) and
  /// sizes, and the size of `x` when `--size` fixes it; nothing is decoded. The pandas
  /// equivalent is `pd.crosstab(df.label, df.split, margins=True)`.
  public func dryRunText() -> String {
    let columns = splits.isEmpty ? [""] : splits
    let counts = counts()
    var rows: [(String, [Int])] = []
    let labelKeys = classes.isEmpty ? [-1] : Array(classes.indices) + (counts.values.contains { $0[-1] != nil } ? [-1] : [])
    for key in labelKeys {
      let name = key == -1 ? "(unlabeled)" : classes[key]
      rows.append((name, columns.map { counts[$0]?[key] ?? 0 }))
    }
    let images = columns.map { column in entries.filter { ($0.split ?? "") == column }.count }
    rows.append(("images", images))
    let header = ["class"] + (splits.isEmpty ? ["images"] : splits) + (splits.isEmpty ? [] : ["total"])
    let body = rows.map { row in [row.0] + row.1.map(String.init) + (splits.isEmpty ? [] : [String(row.1.reduce(0, +))]) }
    let widths = header.indices.map { i in ([header] + body).map { $0[i].count }.max()! }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in
        i == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[i] - cell.count) + cell
      }.joined(separator: "  ")
    }
    var lines = [
      "plan \(hash.prefix(12)): \(entries.count) images, \(classes.count) classes"
        + (splits.isEmpty ? "" : ", splits \(splits.joined(separator: "/"))") + " (from \(source.kind) \(source.path))"
    ]
    lines.append(line(header))
    lines += body.map(line)
    var formats: [String: Int] = [:]
    var bytes = 0
    for entry in entries {
      let ext = URL(fileURLWithPath: entry.path).pathExtension.lowercased()
      formats[ext.isEmpty ? "(none)" : "." + ext, default: 0] += 1
      let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + entry.path)
      bytes += (attributes?[.size] as? Int) ?? 0
    }
    lines.append(
      "formats: " + formats.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        .joined(separator: ", "))
    lines.append("input: \(bytes) bytes in \(entries.count) files; \(ignored.count) ignored")
    if let size = options.size {
      let perImage = size.width * size.height * options.channels * options.resolvedDType.itemSize
      lines.append(
        "x: \(options.resolvedDType.rawValue) \(size.height)x\(size.width)x\(options.channels) per image, \(perImage * entries.count) bytes in all")
    } else {
      lines.append("x: image size kept (no --size); the first image decides it")
    }
    lines.append("label mode: \(resolvedLabelMode.rawValue)")
    return lines.joined(separator: "\n")
  }
}
