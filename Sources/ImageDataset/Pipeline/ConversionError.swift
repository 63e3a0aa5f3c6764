import NPYIO
import _ErrorText

/// Why a conversion failed. Every case names the file and the reason in one line.
public enum ConversionError: Error, Sendable, CustomStringConvertible {
  /// The options contradict each other.
  case invalidOptions(String)
  /// The input folder could not be scanned.
  case scan(ScanError)
  /// An image could not be decoded (the decoder's message kept).
  case unreadableImage(file: String, reason: String)
  /// Without `--size`, an image differs in size from the first one.
  case sizeMismatch(file: String, width: Int, height: Int, expectedWidth: Int, expectedHeight: Int)
  /// A statistics file is missing, malformed or does not fit the images.
  case statisticsFile(path: String, reason: String)
  /// Every image was skipped.
  case allImagesSkipped(folder: String, skipped: Int)
  /// The output could not be written (nothing is left under its name).
  case output(path: String, reason: String)
  /// A label file or file list is malformed: its path, the 1-based line (0: the whole
  /// file) and the reason.
  case labelFile(path: String, line: Int, reason: String)

  /// A one-line message naming the file and the reason (control characters in file names
  /// and decoder messages escaped).
  public var description: String { OneLineMessage.escaped(rawDescription) }

  private var rawDescription: String {
    switch self {
    case .invalidOptions(let message): return message
    case .scan(let error): return error.description
    case .unreadableImage(let file, let reason):
      return reason.hasPrefix(file) ? reason : "\(file): \(reason)"
    case .sizeMismatch(let file, let w, let h, let ew, let eh):
      return "\(file): expected \(ew)x\(eh) like the first image, found \(w)x\(h) (use --size to resize)"
    case .statisticsFile(let path, let reason): return "\(path): \(reason)"
    case .allImagesSkipped(let folder, let skipped):
      return "\(folder): all \(skipped) images were skipped; nothing to write"
    case .output(let path, let reason): return "cannot write \(path): \(reason)"
    case .labelFile(let path, let line, let reason):
      return line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
    }
  }
}
