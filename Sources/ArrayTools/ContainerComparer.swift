import NDArray
import NPYIO

/// The comparison of one member (or of two `.npy` files).
public enum MemberComparison: Sendable, Equatable {
  /// Two numeric arrays compared.
  case arrays(ArrayComparison)
  /// Two string arrays (or a string and a numeric array) compared for equality.
  case strings(StringArrayComparison)
  /// A member only one side has.
  case missing(name: String, presentIn: String, absentFrom: String)

  /// Whether this member is equal on both sides.
  public var isEqual: Bool {
    switch self {
    case .arrays(let comparison): return comparison.isEqual
    case .strings(let comparison): return comparison.isEqual
    case .missing: return false
    }
  }

  /// The member's name (empty for two `.npy` files).
  public var name: String {
    switch self {
    case .arrays(let comparison): return comparison.name
    case .strings(let comparison): return comparison.name
    case .missing(let name, _, _): return name
    }
  }
}

/// Two string arrays compared element by element (`numpy.testing.assert_array_equal`).
public struct StringArrayComparison: Sendable, Equatable {
  /// The member name.
  public var name: String
  /// The actual array's file.
  public var actualPath: String
  /// The desired array's file.
  public var desiredPath: String
  /// The actual array's shape.
  public var actualShape: [Int]
  /// The desired array's shape.
  public var desiredShape: [Int]
  /// Whether one side is a string array and the other numeric.
  public var kindsDiffer: Bool
  /// Elements that differ.
  public var mismatched: Int
  /// Elements compared.
  public var total: Int
  /// The first differing element's C-order flat index.
  public var firstMismatch: Int?

  /// Same kind, same shape, same strings.
  public var isEqual: Bool { !kindsDiffer && actualShape == desiredShape && mismatched == 0 }
}

/// Compares two ``ArrayContainer``s member by member.
///
/// The NumPy equivalent is `for name in a.files: np.testing.assert_allclose(a[name],
/// b[name])` (and `assert_array_equal` for string members), reporting every member rather
/// than stopping at the first failure.
public enum ContainerComparer {
  /// Compares `actual` with `desired`. With `member`, only that member (picked on each side
  /// that has members; a `.npy` side is the array itself). When either side is one `.npy`
  /// file, the other side's data member is compared with it (``ArrayContainer/dataMember(named:)``).
  /// Otherwise every member of either side, in `actual`'s order and then `desired`'s.
  ///
  /// - Throws: NPYIO's errors for unreadable files or an unknown `member`;
  ///   ``ArrayComparisonError`` for complex arrays.
  public static func compare(
    _ actual: ArrayContainer, _ desired: ArrayContainer, member: String?, options: ArrayComparisonOptions
  ) throws -> [MemberComparison] {
    let single: Bool = {
      if case .npy = actual { return true }
      if case .npy = desired { return true }
      return member != nil
    }()
    if single {
      let a = try actual.dataMember(named: member), d = try desired.dataMember(named: member)
      return [try compareMember(name: member ?? a ?? d ?? "", actual.array(a), desired.array(d), options)]
    }
    let actualNames = actual.memberNames, desiredNames = desired.memberNames
    var results: [MemberComparison] = []
    for name in actualNames {
      if desiredNames.contains(name) {
        results.append(try compareMember(name: name, actual.array(name), desired.array(name), options))
      } else {
        results.append(.missing(name: name, presentIn: actual.path, absentFrom: desired.path))
      }
    }
    for name in desiredNames where !actualNames.contains(name) {
      results.append(.missing(name: name, presentIn: desired.path, absentFrom: actual.path))
    }
    return results
  }

  static func compareMember(
    name: String, _ actual: ContainedArray, _ desired: ContainedArray, _ options: ArrayComparisonOptions
  ) throws -> MemberComparison {
    switch (actual, desired) {
    case (.numbers(let a), .numbers(let d)):
      return .arrays(try ArrayComparer.compare(a, d, name: name, options: options))
    case (.strings(let aPath, let aShape, let readA), .strings(let dPath, let dShape, let readD)):
      var result = StringArrayComparison(
        name: name, actualPath: aPath, desiredPath: dPath, actualShape: aShape, desiredShape: dShape,
        kindsDiffer: false, mismatched: 0, total: aShape.reduce(1, *), firstMismatch: nil)
      if aShape == dShape {
        let a = try readA(), d = try readD()
        for (i, (x, y)) in zip(a, d).enumerated() where x != y {
          result.mismatched += 1
          if result.firstMismatch == nil { result.firstMismatch = i }
        }
      }
      return .strings(result)
    case (.numbers(let a), .strings(let dPath, let dShape, _)):
      return .strings(
        StringArrayComparison(
          name: name, actualPath: a.path, desiredPath: dPath, actualShape: a.shape, desiredShape: dShape,
          kindsDiffer: true, mismatched: 0, total: 0, firstMismatch: nil))
    case (.strings(let aPath, let aShape, _), .numbers(let d)):
      return .strings(
        StringArrayComparison(
          name: name, actualPath: aPath, desiredPath: d.path, actualShape: aShape, desiredShape: d.shape,
          kindsDiffer: true, mismatched: 0, total: 0, firstMismatch: nil))
    }
  }
}
