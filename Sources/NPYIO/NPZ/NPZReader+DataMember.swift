extension NPZReader {
  /// The member names of a dataset `normtool convert` wrote: `x` is the data, the others
  /// describe it.
  public static let datasetMemberNames: Set<String> = ["x", "classes", "files"]

  /// The member that holds the data: the one named `name` when given (with or without
  /// `.npy`); otherwise the only member, or `x` of a dataset `normtool convert` wrote
  /// (members `x`, `classes`, `files`, ...).
  ///
  /// The NumPy equivalent is `np.load(path)[name]`, or `np.load(path)[np.load(path).files[0]]`
  /// for a one-member archive.
  ///
  /// - Throws: ``NPZError/memberNotFound(file:member:available:)`` for an unknown `name`,
  ///   ``NPZError/ambiguousMember(file:available:)`` listing the members when none is named
  ///   and none of the above applies.
  public func dataMember(named name: String? = nil) throws -> Member {
    if let name { return try member(named: name) }
    if members.count == 1 { return members[0] }
    if Self.datasetMemberNames.isSubset(of: memberNames) { return try member(named: "x") }
    throw NPZError.ambiguousMember(file: url.path, available: memberNames)
  }
}
