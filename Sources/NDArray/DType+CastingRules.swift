/// Which conversions between dtypes are allowed: NumPy's `casting=` argument.
///
/// The NumPy equivalent is the `casting` argument of `numpy.can_cast`, `ndarray.astype` and
/// the ufuncs: `'no'`, `'equiv'`, `'safe'`, `'same_kind'`, `'unsafe'`. Each rule allows
/// everything the rule before it allows.
public enum Casting: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
  /// `'no'`: only the identical dtype.
  case no
  /// `'equiv'`: the same dtype in any byte order (for ``DType``, which has no byte order,
  /// the same as ``no``).
  case equiv
  /// `'safe'`: only casts that keep every value, e.g. `uint8 → int16`, `int32 → float64`.
  case safe
  /// `'same_kind'`: safe casts, and casts within a kind or towards a later kind in
  /// bool → unsigned → signed → float → complex, e.g. `float64 → float32`, `int64 → int8`.
  case sameKind = "same_kind"
  /// `'unsafe'`: any conversion (what `astype` does by default).
  case unsafe

  /// NumPy's spelling, e.g. `same_kind`.
  public var description: String { rawValue }
}

extension DType {
  /// Whether converting this dtype to `target` is allowed under `casting`.
  ///
  /// The NumPy equivalent is `numpy.can_cast(self, target, casting)` for native byte order;
  /// the answers match NumPy 2.x for every pair of the 14 dtypes and every rule.
  ///
  /// ```swift
  /// DType.float64.canCast(to: .uint8, casting: .sameKind)   // false
  /// DType.uint8.canCast(to: .float32, casting: .safe)       // true
  /// ```
  public func canCast(to target: DType, casting: Casting) -> Bool {
    switch casting {
    case .no, .equiv: return self == target
    case .safe: return canCastSafely(to: target)
    case .sameKind: return canCastSafely(to: target) || kindOrder <= target.kindOrder
    case .unsafe: return true
    }
  }

  /// NumPy's `'safe'` rule: every value of this dtype is a value of `target`.
  private func canCastSafely(to target: DType) -> Bool {
    if self == target || self == .bool { return true }
    switch (kind, target.kind) {
    case ("i", "i"), ("u", "u"), ("f", "f"), ("c", "c"):
      return itemSize <= target.itemSize
    case ("u", "i"):
      return itemSize < target.itemSize
    case ("i", "f"), ("u", "f"):
      return smallestFloatSize <= target.itemSize
    case ("i", "c"), ("u", "c"):
      return smallestFloatSize <= target.itemSize / 2
    case ("f", "c"):
      return itemSize <= target.itemSize / 2
    default:
      return false
    }
  }

  /// For an integer dtype, the item size of the smallest float NumPy deems safe for it:
  /// float16 for 8 bits, float32 for 16 bits, float64 for 32 and 64 bits (int64 → float64
  /// is "safe" by NumPy's convention).
  private var smallestFloatSize: Int { Swift.min(2 * itemSize, 8) }

  /// The order of kinds that `'same_kind'` allows casting along: bool, unsigned, signed,
  /// float, complex (NumPy's `dtype_kind_to_ordering`).
  private var kindOrder: Int {
    switch kind {
    case "b": return 0
    case "u": return 1
    case "i": return 2
    case "f": return 3
    default: return 4
    }
  }
}
