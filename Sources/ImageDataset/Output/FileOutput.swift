import Foundation

/// One file written for a command that reads a dataset (`preview`'s PNG, `report`'s HTML):
/// the path checked first (``OutputPathCheck``: its folder exists and is writable, it is
/// not a folder, it is not the input), then the bytes written under a temporary name and
/// renamed into place (``OutputTransaction``), so a failure leaves nothing behind and never
/// touches an existing file.
///
/// There is no NumPy equivalent (`open(path, "wb").write(data)` truncates first).
public enum FileOutput {
  /// Checks `url` before any work: call it before reading `input`'s data.
  ///
  /// - Throws: ``ConversionError/output(path:reason:)`` naming the path and the reason.
  public static func check(_ url: URL, option: String, input: URL) throws(ConversionError) {
    let resolved = OutputPathCheck.realPath(input.path) ?? input.standardizedFileURL.path
    let output = OutputPathCheck.Output(url: url, isDirectory: false, option: option)
    let path = try OutputPathCheck.checkWritable(output)
    if path == resolved || OutputPathCheck.isInside(path, resolved) {
      throw .output(path: url.path, reason: "it is (or is inside) the dataset \(input.path) this command reads")
    }
  }

  /// Writes `bytes` to `url` atomically.
  ///
  /// - Throws: ``ConversionError/output(path:reason:)``; nothing is left under a temporary
  ///   name and an existing file at `url` is kept.
  public static func write(_ bytes: [UInt8], to url: URL) throws(ConversionError) {
    let transaction = OutputTransaction()
    do {
      try transaction.stage(Data(bytes), at: url)
      try transaction.commit()
    } catch {
      transaction.abort()
      throw error
    }
  }
}
