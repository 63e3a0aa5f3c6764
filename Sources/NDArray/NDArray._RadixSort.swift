// LSD radix sort of float32/float64 lanes for `sorted` and `argsort`: the same result as the
// stable comparison sort (NumPy's order: -0.0 and 0.0 equal, NaNs last, equal keys keep their
// order), in a few linear passes instead of n log n comparisons.

/// Float bit patterns mapped to unsigned keys whose integer order is NumPy's sort order.
@usableFromInline
protocol _RadixSortable {
  associatedtype Key: FixedWidthInteger & UnsignedInteger
  /// The key of `self`: negative values flipped, positive ones with the sign bit set, -0.0
  /// as 0.0, every NaN as the largest key (so NaNs come last, stable among themselves).
  var _radixKey: Key { get }
  /// Whether `_radixKey` cannot be inverted to `self` (-0.0 and NaN): lanes holding one
  /// carry indices through the sort instead of decoding keys.
  var _radixKeyLosesValue: Bool { get }
  /// The value a key came from, for keys of values that do not lose it. (A static function,
  /// not an init: an init would join `Double.init`'s overloads and make such references
  /// ambiguous.)
  static func _fromRadixKey(_ key: Key) -> Self
}

extension Float: _RadixSortable {
  @inlinable @inline(__always)
  var _radixKey: UInt32 {
    let bits = bitPattern
    if isNaN { return .max }
    if bits == 0x8000_0000 { return 0x8000_0000 }
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
  }
  @inlinable @inline(__always)
  var _radixKeyLosesValue: Bool { isNaN || bitPattern == 0x8000_0000 }
  @inlinable @inline(__always)
  static func _fromRadixKey(_ key: UInt32) -> Float {
    Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
  }
}

extension Double: _RadixSortable {
  @inlinable @inline(__always)
  var _radixKey: UInt64 {
    let bits = bitPattern
    if isNaN { return .max }
    let sign: UInt64 = 1 << 63
    if bits == sign { return sign }
    return bits & sign != 0 ? ~bits : bits | sign
  }
  @inlinable @inline(__always)
  var _radixKeyLosesValue: Bool { isNaN || bitPattern == 1 << 63 }
  @inlinable @inline(__always)
  static func _fromRadixKey(_ key: UInt64) -> Double {
    let sign: UInt64 = 1 << 63
    return Double(bitPattern: key & sign != 0 ? key & ~sign : ~key)
  }
}

/// Lanes shorter than this are sorted by comparison: the passes' fixed cost dominates there.
@usableFromInline let _radixSortMinimumCount = 512

/// Sorts `keys` (and `indices` with them, when given) by LSD radix, 11 bits a pass, stable.
/// Passes where every key has the same digit are skipped.
func _radixSort<Key: FixedWidthInteger & UnsignedInteger>(
  _ keys: UnsafeMutableBufferPointer<Key>, indices: UnsafeMutableBufferPointer<UInt32>?
) {
  let n = keys.count
  let digitBits = 11, buckets = 1 << digitBits
  let passes = (Key.bitWidth + digitBits - 1) / digitBits
  var counts = [Int](repeating: 0, count: passes * buckets)
  counts.withUnsafeMutableBufferPointer { counts in
    for key in keys {
      for pass in 0..<passes {
        counts[pass * buckets + Int(truncatingIfNeeded: key >> (pass * digitBits)) & (buckets - 1)] += 1
      }
    }
  }
  let keyScratch = UnsafeMutableBufferPointer<Key>.allocate(capacity: n)
  let indexScratch = indices.map { _ in UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n) }
  defer { keyScratch.deallocate(); indexScratch?.deallocate() }
  var (sourceKeys, targetKeys) = (keys, keyScratch)
  var (sourceIndices, targetIndices) = (indices, indexScratch)
  var offsets = [Int](repeating: 0, count: buckets)
  for pass in 0..<passes {
    let shift = pass * digitBits
    var running = 0
    var skip = false
    for digit in 0..<buckets {
      let count = counts[pass * buckets + digit]
      if count == n { skip = true }
      offsets[digit] = running
      running += count
    }
    if skip { continue }
    offsets.withUnsafeMutableBufferPointer { offsets in
      if let from = sourceIndices, let to = targetIndices {
        for i in 0..<n {
          let key = sourceKeys[i]
          let digit = Int(truncatingIfNeeded: key >> shift) & (buckets - 1)
          let position = offsets[digit]
          offsets[digit] = position + 1
          targetKeys[position] = key
          to[position] = from[i]
        }
      } else {
        for i in 0..<n {
          let key = sourceKeys[i]
          let digit = Int(truncatingIfNeeded: key >> shift) & (buckets - 1)
          let position = offsets[digit]
          offsets[digit] = position + 1
          targetKeys[position] = key
        }
      }
    }
    swap(&sourceKeys, &targetKeys)
    swap(&sourceIndices, &targetIndices)
  }
  if sourceKeys.baseAddress != keys.baseAddress {
    _ = keys.update(fromContentsOf: sourceKeys)
    if let indices, let sorted = sourceIndices { _ = indices.update(fromContentsOf: sorted) }
  }
}

/// `lane` sorted into `out` (NumPy's order, stable), or nil-equivalent false when the lane is
/// too short or too long for the radix path and the caller should compare instead.
func _radixSorted<Value: _RadixSortable>(
  _ lane: UnsafeBufferPointer<Value>,
  into out: UnsafeMutableBufferPointer<Value>
) -> Bool {
  let n = lane.count
  guard n >= _radixSortMinimumCount, n <= Int(UInt32.max) else { return false }
  let keys = UnsafeMutableBufferPointer<Value.Key>.allocate(capacity: n)
  defer { keys.deallocate() }
  var lossy = false
  for i in 0..<n {
    keys[i] = lane[i]._radixKey
    if lane[i]._radixKeyLosesValue { lossy = true }
  }
  if !lossy {
    _radixSort(keys, indices: nil)
    for i in 0..<n { out[i] = Value._fromRadixKey(keys[i]) }
    return true
  }
  let indices = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
  defer { indices.deallocate() }
  for i in 0..<n { indices[i] = UInt32(truncatingIfNeeded: i) }
  _radixSort(keys, indices: indices)
  for i in 0..<n { out[i] = lane[Int(indices[i])] }
  return true
}

/// The stable sorting permutation of `lane` into `out` (`argsort(kind='stable')`), or false
/// when the caller should compare instead.
func _radixArgsort<Value: _RadixSortable>(
  _ lane: UnsafeBufferPointer<Value>,
  into out: UnsafeMutableBufferPointer<Int64>
) -> Bool {
  let n = lane.count
  guard n >= _radixSortMinimumCount, n <= Int(UInt32.max) else { return false }
  let keys = UnsafeMutableBufferPointer<Value.Key>.allocate(capacity: n)
  let indices = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
  defer { keys.deallocate(); indices.deallocate() }
  for i in 0..<n {
    keys[i] = lane[i]._radixKey
    indices[i] = UInt32(truncatingIfNeeded: i)
  }
  _radixSort(keys, indices: indices)
  for i in 0..<n { out[i] = Int64(indices[i]) }
  return true
}

// Concrete entry points for the inlinable `sorted`/`argsort`: a client module cannot specialize
// the generic functions above (they are not inlinable), so it calls these, which are compiled
// here for their one element type.

/// ``_radixSorted(_:into:)`` for float32 lanes.
@usableFromInline
func _radixSortedFloat(_ lane: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) -> Bool {
  _radixSorted(lane, into: out)
}

/// ``_radixSorted(_:into:)`` for float64 lanes.
@usableFromInline
func _radixSortedDouble(_ lane: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) -> Bool {
  _radixSorted(lane, into: out)
}

/// ``_radixArgsort(_:into:)`` for float32 lanes.
@usableFromInline
func _radixArgsortFloat(_ lane: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Int64>) -> Bool {
  _radixArgsort(lane, into: out)
}

/// ``_radixArgsort(_:into:)`` for float64 lanes.
@usableFromInline
func _radixArgsortDouble(_ lane: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Int64>) -> Bool {
  _radixArgsort(lane, into: out)
}
