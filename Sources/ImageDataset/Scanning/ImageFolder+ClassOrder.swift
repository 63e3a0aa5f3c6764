/// A class order fixed from outside the folder: `--classes a,b,c` or the `classes` of a
/// training set's `stats.json`.
///
/// The Keras equivalent is `image_dataset_from_directory(..., class_names=[...])`.
public struct ClassOrder: Sendable, Equatable {
  /// The class names; label `i` is `names[i]`.
  public var names: [String]
  /// Where the order comes from, for messages: "--classes" or a stats file's path.
  public var source: String

  /// An order of `names` from `source`.
  public init(names: [String], source: String) {
    self.names = names
    self.source = source
  }
}

extension ImageFolder {
  /// The same images labeled by `order`: label = index of the class folder's name in
  /// `order.names`, files grouped by that label (then by relative path), and ``classes``
  /// the full list, including classes this folder lacks (a test folder may miss a class).
  /// An unlabeled folder stays unlabeled.
  ///
  /// - Throws: ``ScanError/unknownClasses(path:names:source:)`` naming every class folder
  ///   that `order` does not list.
  public func labeled(by order: ClassOrder) throws(ScanError) -> ImageFolder {
    guard isLabeled else { return self }
    var index: [String: Int] = [:]
    for (i, name) in order.names.enumerated() where index[name] == nil { index[name] = i }
    let unknown = classes.filter { index[$0] == nil }
    if !unknown.isEmpty {
      throw .unknownClasses(path: root.path, names: unknown, source: order.source)
    }
    var relabeled = files.map { file -> ImageFile in
      var file = file
      file.label = index[classes[file.label!]]!
      return file
    }
    // Stable: within a label, the scan's relative-path order is kept.
    relabeled = relabeled.enumerated().sorted {
      ($0.element.label!, $0.offset) < ($1.element.label!, $1.offset)
    }.map(\.element)
    var result = self
    result.classes = order.names
    result.files = relabeled
    return result
  }
}
