import Foundation
import NDArray
import NPYIO

/// A dataset `normtool convert` wrote, read back: an `.npz` archive or a directory of `.npy`
/// files (docs/design.md §5) with `x` in either layout and any output dtype (uint8, float16,
/// float32, float64), and beside it `y`, `classes`, `files`, `skipped`, `mean`, `std` and
/// (directory) `stats.json` when present.
///
/// The NumPy equivalent is `d = np.load(path)` (or one `np.load` per member of a directory,
/// `x` with `mmap_mode="r"`): a directory's `x` is memory-mapped, an archive's `x` is read.
public struct StoredDataset: Sendable {
  /// The dataset as given.
  public let url: URL
  /// `x`, (N, H, W, C), (N, C, H, W) or (N, H, W).
  public let x: AnyNDArray
  /// The order of `x`'s axes: from `stats.json`, else told by the shape (channels 1 or 3
  /// last means nhwc; otherwise second means nchw).
  public let layout: OutputLayout
  /// Images, height, width and channels of `x`.
  public let count: Int, height: Int, width: Int, channels: Int
  /// `y`: the label of each image, when stored.
  public let labels: [Int64]?
  /// `classes`: the class names in label order (empty when not stored).
  public let classes: [String]
  /// `files`: each image's path relative to the converted folder, when stored.
  public let files: [String]?
  /// `skipped`: the files the conversion skipped (empty when none).
  public let skipped: [String]
  /// `mean` and `std`: the statistics that normalized `x`, (entries) or (rows, entries).
  public let mean: NDArray<Double>?, std: NDArray<Double>?
  /// `stats.json` of a directory output.
  public let report: StatisticsReport?
  /// The dataset's size on disk in bytes.
  public let bytesOnDisk: Int

  /// Reads the dataset at `url` (an `.npz`, or a directory holding `x.npy`).
  ///
  /// - Throws: ``DatasetViewError`` naming the file: missing or unreadable, a lone `.npy`,
  ///   no member `x`, or `x` of another rank, dtype or channel count.
  public static func open(_ url: URL) throws(DatasetViewError) -> StoredDataset {
    let path = url.path
    do {
      switch try ArrayFileKind.of(url) {
      case .npy:
        throw DatasetViewError(
          path: path, reason: "expected a dataset normtool convert wrote (.npz or directory), found a lone .npy")
      case .npz:
        let npz = try NPZReader(url: url)
        let names = Set(npz.memberNames)
        guard names.contains("x") else {
          throw DatasetViewError(
            path: path,
            reason: "no member x (members: \(npz.memberNames.joined(separator: ", "))); not a normtool dataset")
        }
        return try StoredDataset(
          url: url, x: npz.read("x"),
          labels: names.contains("y") ? Self.labels(try npz.read("y"), path: path + ":y.npy") : nil,
          classes: names.contains("classes") ? try npz.readStrings("classes") : [],
          files: names.contains("files") ? try npz.readStrings("files") : nil,
          skipped: names.contains("skipped") ? try npz.readStrings("skipped") : [],
          mean: names.contains("mean") ? try Self.float64(npz.read("mean"), path: path + ":mean.npy") : nil,
          std: names.contains("std") ? try Self.float64(npz.read("std"), path: path + ":std.npy") : nil,
          report: nil)
      case .folder:
        let member = { (name: String) in url.appendingPathComponent(name) }
        let exists = { (name: String) in FileManager.default.fileExists(atPath: member(name).path) }
        guard exists("x.npy") else {
          throw DatasetViewError(path: path, reason: "no x.npy in the folder; not a normtool dataset")
        }
        return try StoredDataset(
          url: url, x: NPY.map(at: member("x.npy")),
          labels: exists("y.npy") ? Self.labels(try NPY.read(at: member("y.npy")), path: member("y.npy").path) : nil,
          classes: exists("classes.npy") ? try NPY.readStrings(at: member("classes.npy")) : [],
          files: exists("files.npy") ? try NPY.readStrings(at: member("files.npy")) : nil,
          skipped: exists("skipped.npy") ? try NPY.readStrings(at: member("skipped.npy")) : [],
          mean: exists("mean.npy")
            ? try Self.float64(NPY.read(at: member("mean.npy")), path: member("mean.npy").path) : nil,
          std: exists("std.npy")
            ? try Self.float64(NPY.read(at: member("std.npy")), path: member("std.npy").path) : nil,
          report: exists("stats.json") ? try StatisticsReport.read(from: member("stats.json")) : nil)
      }
    } catch let error as DatasetViewError {
      throw error
    } catch let error as ConversionError {
      throw DatasetViewError(path: path, reason: error.description)
    } catch {
      throw DatasetViewError(path: path, reason: String(describing: error))
    }
  }

  private init(
    url: URL, x: AnyNDArray, labels: [Int64]?, classes: [String], files: [String]?, skipped: [String],
    mean: NDArray<Double>?, std: NDArray<Double>?, report: StatisticsReport?
  ) throws(DatasetViewError) {
    let path = url.path
    guard [.uint8, .float16, .float32, .float64].contains(x.dtype) else {
      throw DatasetViewError(
        path: path, reason: "expected x of dtype uint8, float16, float32 or float64, found \(x.dtype)")
    }
    let shape = x.shape
    let layout: OutputLayout
    switch shape.count {
    case 3:
      layout = .nhwc
      (count, height, width, channels) = (shape[0], shape[1], shape[2], 1)
    case 4:
      if let recorded = report?.options["layout"].flatMap(OutputLayout.init(rawValue:)) {
        layout = recorded
      } else {
        layout = [1, 3].contains(shape[3]) || ![1, 3].contains(shape[1]) ? .nhwc : .nchw
      }
      (count, height, width, channels) =
        layout == .nhwc ? (shape[0], shape[1], shape[2], shape[3]) : (shape[0], shape[2], shape[3], shape[1])
    default:
      throw DatasetViewError(
        path: path, reason: "expected x of shape (N, H, W, C), (N, C, H, W) or (N, H, W), found \(shape)")
    }
    guard channels == 1 || channels == 3 else {
      throw DatasetViewError(path: path, reason: "expected images of 1 or 3 channels, found x of shape \(shape)")
    }
    guard shape[0] > 0, height > 0, width > 0 else {
      throw DatasetViewError(
        path: path, reason: "expected at least one image of at least 1x1 pixels, found x of shape \(shape)")
    }
    if let labels, labels.count != shape[0] {
      throw DatasetViewError(path: path, reason: "y holds \(labels.count) labels for \(shape[0]) images")
    }
    self.url = url
    self.x = x
    self.layout = layout
    self.labels = labels
    self.classes = classes
    self.files = files
    self.skipped = skipped
    self.mean = mean
    self.std = std
    self.report = report
    bytesOnDisk = DatasetWriter.size(of: url)
  }

  /// The values of image `index` in (H, W, C) order, as Float64 (NumPy:
  /// `x[index].astype(np.float64)`, moved to channels-last for nchw).
  public func values(of index: Int) -> [Double] {
    precondition(index >= 0 && index < count, "image \(index) of \(count)")
    let flat: [Double]
    switch x.dtype {
    case .uint8: flat = Self.row(x.typed(as: UInt8.self)!, index)
    case .float16: flat = Self.row(x.typed(as: Float16.self)!, index)
    case .float32: flat = Self.row(x.typed(as: Float.self)!, index)
    default: flat = Self.row(x.typed(as: Double.self)!, index)
    }
    guard layout == .nchw, channels > 1 else { return flat }
    let plane = height * width
    var interleaved = [Double](repeating: 0, count: flat.count)
    for c in 0..<channels {
      for p in 0..<plane { interleaved[p * channels + c] = flat[c * plane + p] }
    }
    return interleaved
  }

  /// The label under image `index`: its class name, else its label, else `#index`.
  public func label(of index: Int) -> String {
    guard let labels else { return "#\(index)" }
    let label = labels[index]
    return label >= 0 && label < classes.count ? classes[Int(label)] : String(label)
  }

  private static func row<Element: NDArrayRealElement>(_ array: NDArray<Element>, _ index: Int) -> [Double] {
    array[index..<(index + 1)].flatElements.map(\._doubleValue)
  }

  /// Statistics as Float64 (`np.asarray(a, dtype=np.float64)`): normtool writes float64,
  /// a hand-made archive may hold another real type.
  private static func float64(_ array: AnyNDArray, path: String) throws(DatasetViewError) -> NDArray<Double> {
    guard [.float16, .float32, .float64].contains(array.dtype),
      let values = array.astype(.float64).typed(as: Double.self)
    else {
      throw DatasetViewError(path: path, reason: "expected statistics of a float dtype, found \(array.dtype)")
    }
    return values
  }

  private static func labels(_ array: AnyNDArray, path: String) throws(DatasetViewError) -> [Int64] {
    guard let typed = array.typed(as: Int64.self), array.shape.count == 1 else {
      throw DatasetViewError(
        path: path, reason: "expected int64 labels of shape (N,), found \(array.dtype) \(array.shape)")
    }
    return typed.flatElements
  }

}
