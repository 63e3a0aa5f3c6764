import ArgumentParser
import Foundation
import ImageDataset

/// Where the images and labels come from and how they are split, shared by `convert` and
/// `plan` (one `@OptionGroup`): label files, file lists, label modes, splits.
struct DatasetOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "A label file: CSV or TSV with a header (path,label[,split][,group]) or JSONL.",
      discussion:
        "Paths are relative to the file's folder, or to --root. Labels are class names or integers; a|b gives several (multi-hot y)."
    ))
  var labels: String?

  @Option(help: "A plain list of image files, one per line (unlabeled; relative to its folder or --root).")
  var files: String?

  @Option(help: "The folder the paths of --labels or --files are relative to (default: the file's folder).")
  var root: String?

  @Option(help: "How y is written (Keras's label_mode): int (int64), categorical (one-hot float32), binary (float32 0/1, two classes), multi-hot.")
  var labelMode: LabelMode?

  @Option(help: "Splits and fractions, e.g. train=0.8,val=0.1,test=0.1 (drawn with --seed). OUT is then a folder of NAME.npz.")
  var split: String?

  @Flag(help: "Split all images together instead of each class on its own.")
  var noStratify = false

  @Option(help: "The --labels column whose groups (e.g. patient IDs) must stay in one split (default: a 'group' column).")
  var groupColumn: String?

  @Option(help: "Pick the files Keras picks: 'keras' with --validation-split F --seed S (image_dataset_from_directory).")
  var splitLike: SplitLike?

  @Option(help: "Keras's validation_split, with --split-like keras.")
  var validationSplit: Double?

  @Option(help: "With splits: npz (OUT/NAME.npz), npy (x alone) or dir (a folder OUT/NAME each).")
  var format: SplitFormat = .npz

  /// `--split-like` values.
  enum SplitLike: String, ChoiceArgument { case keras }

  /// `--format` values.
  enum SplitFormat: String, ChoiceArgument {
    case npz, npy, dir
    var kind: OutputKind {
      switch self {
      case .npz: return .npz
      case .npy: return .npy
      case .dir: return .directory
      }
    }
  }

  /// The plan request for the positional FOLDER (nil with --labels or --files).
  func request(folder: String?) throws -> PlanRequest {
    let sources = [folder, labels, files].compactMap { $0 }
    guard sources.count == 1 else {
      throw ValidationError(
        sources.isEmpty
          ? "expected an image FOLDER, --labels FILE or --files LIST"
          : "give one source: an image FOLDER, --labels FILE or --files LIST (found \(sources.count))")
    }
    var request: PlanRequest
    if let labels {
      request = PlanRequest(source: .labels(URL(fileURLWithPath: labels)))
    } else if let files {
      request = PlanRequest(source: .files(URL(fileURLWithPath: files)))
    } else {
      request = PlanRequest(source: .folder(URL(fileURLWithPath: folder!)))
    }
    request.root = root.map { URL(fileURLWithPath: $0) }
    request.labelMode = labelMode
    request.stratify = !noStratify
    request.groupColumn = groupColumn
    if let split {
      switch SplitRule.parts(argument: split) {
      case .success(let parts): request.split = parts
      case .failure(let error): throw ValidationError(error.description)
      }
    }
    if splitLike == .keras {
      guard let validationSplit else { throw ValidationError("--split-like keras needs --validation-split F") }
      request.kerasValidationSplit = validationSplit
    } else if validationSplit != nil {
      throw ValidationError("--validation-split goes with --split-like keras")
    }
    if noStratify && split == nil { throw ValidationError("--no-stratify goes with --split") }
    return request
  }
}

extension LabelMode: ExpressibleByArgument, ChoiceArgument {}
