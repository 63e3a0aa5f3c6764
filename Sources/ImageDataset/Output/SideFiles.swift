import Foundation

/// Where a run's side files go: the summary, `duplicates.csv` and the `--export` files.
///
/// For a directory output `OUT/` they are members of it (`OUT/summary.json`,
/// `OUT/duplicates.csv`, `OUT/preprocessor_config.json`…). For `OUT.npz` or `OUT.npy` they
/// go beside it: `OUT.summary.json`, `OUT.duplicates.csv`, and the exports in a folder
/// `OUT.export/` (Hugging Face loads a folder). A run with splits writes them once, for all
/// splits, as members of its folder `OUT/` (beside `OUT/train.npz`); its split runs write
/// none. There is no NumPy equivalent.
struct SideFiles {
  /// The file name of the summary inside a directory output.
  static let summaryName = "summary.json"
  /// The file name of the duplicates list inside a directory output.
  static let duplicatesName = "duplicates.csv"

  /// The summary's path for a file output; nil for a directory output (a member then).
  let summary: URL?
  /// The duplicates list's path for a file output; nil for a directory output.
  let duplicates: URL?
  /// The export folder for a file output with exports; nil otherwise.
  let exportFolder: URL?

  init(output: URL, exports: Bool) {
    if OutputKind(output) == .directory {
      summary = nil; duplicates = nil; exportFolder = nil
      return
    }
    let stem = output.deletingPathExtension()
    func beside(_ suffix: String) -> URL {
      stem.deletingLastPathComponent().appendingPathComponent(stem.lastPathComponent + suffix)
    }
    summary = beside(".summary.json")
    duplicates = beside(".duplicates.csv")
    exportFolder = exports ? beside(".export") : nil
  }

  /// The paths ``OutputPathCheck`` checks with the run's other outputs.
  var checkedOutputs: [OutputPathCheck.Output] {
    var outputs: [OutputPathCheck.Output] = []
    if let summary { outputs.append(.init(url: summary, isDirectory: false, option: "the summary")) }
    if let duplicates { outputs.append(.init(url: duplicates, isDirectory: false, option: "duplicates.csv")) }
    if let exportFolder { outputs.append(.init(url: exportFolder, isDirectory: true, option: "--export")) }
    return outputs
  }
}
