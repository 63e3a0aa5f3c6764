import NDArray
import NPYIO

/// One side of a comparison: what its header says, and how to stream its elements.
public struct ComparedArray {
  /// The file (or `archive.npz:member.npy`) for messages.
  public var path: String
  /// The shape.
  public var shape: [Int]
  /// The element type.
  public var dtype: DType
  /// Whether the elements are stored in Fortran order.
  public var fortranOrder: Bool
  /// Opens a stream of the elements in storage order.
  public var open: () throws -> any ElementChunkSource
  /// Opens a stream of the elements in C order (may read the whole array into memory).
  public var openInCOrder: () throws -> any ElementChunkSource

  /// A side with the given header and streams.
  public init(
    path: String, shape: [Int], dtype: DType, fortranOrder: Bool,
    open: @escaping () throws -> any ElementChunkSource,
    openInCOrder: @escaping () throws -> any ElementChunkSource
  ) {
    self.path = path
    self.shape = shape
    self.dtype = dtype
    self.fortranOrder = fortranOrder
    self.open = open
    self.openInCOrder = openInCOrder
  }

  /// Whether C and Fortran order lay the elements out alike (at most one axis longer than 1).
  var orderIsIrrelevant: Bool { shape.filter { $0 > 1 }.count <= 1 }
}

/// A comparison ``ArrayComparer`` cannot make (as opposed to arrays that differ).
public enum ArrayComparisonError: Error, Equatable, CustomStringConvertible {
  /// Complex arrays are not compared.
  case unsupportedDType(path: String, dtype: DType)

  /// One line naming the file and the reason.
  public var description: String {
    switch self {
    case .unsupportedDType(let path, let dtype):
      return "\(path): cannot compare \(dtype) arrays; compare supports bool, integer and float dtypes"
    }
  }
}

/// Compares two arrays element by element in bounded memory, streaming both in chunks.
///
/// The NumPy equivalent is `numpy.testing.assert_allclose(actual, desired, rtol, atol,
/// equal_nan, strict)`: the shapes must be equal (a 0-d array broadcasts unless strict),
/// NaNs must sit in the same places (with `equal_nan`), infinities in the same places with
/// the same signs, and every other pair must satisfy `|a − b| ≤ atol + rtol·|b|` computed in
/// `numpy.isclose`'s dtype (`float32` for two `float32` arrays). The figures are NumPy's:
/// the mismatch count, the first mismatches in C order, and the maximum absolute and
/// relative differences among them, computed in the dtype NumPy computes them in (integer
/// differences wrap as NumPy's do), with where each maximum first occurs.
public enum ArrayComparer {
  /// Elements per chunk: 1 MiB of `float32`.
  static let chunkElements = 1 << 18

  /// Compares `actual` with `desired`; `name` labels the result.
  ///
  /// - Throws: ``ArrayComparisonError`` for complex dtypes; whatever opening or reading a
  ///   side throws (NPYIO's errors, naming the file).
  public static func compare(
    _ actual: ComparedArray, _ desired: ComparedArray, name: String = "", options: ArrayComparisonOptions
  ) throws -> ArrayComparison {
    var result = ArrayComparison(
      name: name, actualPath: actual.path, desiredPath: desired.path, actualShape: actual.shape,
      actualDType: actual.dtype, desiredShape: desired.shape, desiredDType: desired.dtype,
      options: options, outcome: .equal)
    let broadcast = !options.exact && (actual.shape.isEmpty || desired.shape.isEmpty)
    if actual.shape != desired.shape && !broadcast {
      result.outcome = .shapeMismatch
      return result
    }
    if options.exact && actual.dtype != desired.dtype {
      result.outcome = .dtypeMismatch
      return result
    }
    for side in [actual, desired] where side.dtype.kind == "c" {
      throw ArrayComparisonError.unsupportedDType(path: side.path, dtype: side.dtype)
    }
    // isclose's dtype: the desired side made inexact (result_type(desired, 1.0)), then
    // promoted with the actual side.
    let desiredInexact = desired.dtype.kind == "f" ? desired.dtype : .float64
    let closeness = actual.dtype.promoted(with: desiredInexact)
    switch closeness {
    case .float16:
      var run = Run<Float16>(actual, desired, options, result)
      return try run.run()
    case .float32:
      var run = Run<Float>(actual, desired, options, result)
      return try run.run()
    default:
      var run = Run<Double>(actual, desired, options, result)
      return try run.run()
    }
  }

  /// One comparison in the float type `Value` NumPy's `isclose` computes in.
  private struct Run<Value: BinaryFloatingPoint & NDArrayElement> {
    let actual: ComparedArray, desired: ComparedArray
    let options: ArrayComparisonOptions
    var result: ArrayComparison
    /// The shape compared (the non-0-d one when one side broadcasts).
    let shape: [Int]
    /// Whether elements arrive in Fortran order (both sides stored so).
    let fortranIteration: Bool
    let actualAccess: ElementAccess, desiredAccess: ElementAccess
    /// The dtype of `actual - desired` (NumPy's `error`) and of `error / abs(desired)`.
    let differenceDType: DType, relativeDType: DType
    let rtol: Value, atol: Value
    /// Mismatches kept for listing, with their C-order flat index, sorted by it.
    var listed: [(flat: Int, mismatch: ArrayMismatch)] = []
    var maxAbsolute: (value: Double, flat: Int)?
    var maxRelative: (value: Double, flat: Int)?
    var firstLocation: Int?
    var nanLocation = false, infLocation = false, infValues = false

    init(
      _ actual: ComparedArray, _ desired: ComparedArray, _ options: ArrayComparisonOptions, _ result: ArrayComparison
    ) {
      self.actual = actual
      self.desired = desired
      self.options = options
      self.result = result
      shape = actual.shape.isEmpty ? desired.shape : actual.shape
      let sides = [actual, desired].filter { !$0.shape.isEmpty && !$0.orderIsIrrelevant }
      fortranIteration = !sides.isEmpty && sides.allSatisfy(\.fortranOrder)
      actualAccess = ElementAccess(actual.dtype)
      desiredAccess = ElementAccess(desired.dtype)
      differenceDType = actual.dtype.promoted(with: desired.dtype)
      relativeDType = differenceDType.kind == "f" ? differenceDType.promoted(with: desired.dtype) : .float64
      rtol = Value(options.rtol)
      atol = Value(options.atol)
    }

    /// Opens a side in the iteration order: storage order when it matches, else C order.
    func source(_ side: ComparedArray) throws -> any ElementChunkSource {
      if side.shape.isEmpty || side.orderIsIrrelevant || side.fortranOrder == fortranIteration {
        return try side.open()
      }
      return try side.openInCOrder()
    }

    mutating func run() throws -> ArrayComparison {
      let total = shape.reduce(1, *)
      result.total = total
      guard total > 0 else { return result }
      let actualSource = try source(actual), desiredSource = try source(desired)
      let chunk = ArrayComparer.chunkElements
      let actualBuffer = UnsafeMutablePointer<Value>.allocate(capacity: chunk)
      let desiredBuffer = UnsafeMutablePointer<Value>.allocate(capacity: chunk)
      defer {
        actualBuffer.deallocate()
        desiredBuffer.deallocate()
      }
      // A 0-d side is read once and repeated (stride 0).
      var actualScalar: UnsafeRawBufferPointer? = nil, desiredScalar: UnsafeRawBufferPointer? = nil
      if actual.shape.isEmpty { actualScalar = try actualSource.next(maxCount: 1) }
      if desired.shape.isEmpty { desiredScalar = try desiredSource.next(maxCount: 1) }
      var done = 0
      while done < total {
        let count = min(chunk, total - done)
        guard let rawActual = try actualScalar ?? actualSource.next(maxCount: count),
          let rawDesired = try desiredScalar ?? desiredSource.next(maxCount: count)
        else { break }
        let actualValues = values(rawActual, actual.dtype, count: actualScalar == nil ? count : 1, actualBuffer)
        let desiredValues = values(
          rawDesired, desired.dtype, count: desiredScalar == nil ? count : 1, desiredBuffer)
        scan(
          count: count, start: done, actualValues, stride: actualScalar == nil ? 1 : 0, rawActual.baseAddress!,
          desiredValues, stride: desiredScalar == nil ? 1 : 0, rawDesired.baseAddress!)
        done += count
      }
      return finish()
    }

    /// The chunk as `Value`s: the raw elements themselves when already of that type.
    func values(
      _ raw: UnsafeRawBufferPointer, _ dtype: DType, count: Int,
      _ buffer: UnsafeMutablePointer<Value>
    ) -> UnsafePointer<Value> {
      if dtype == Value.dtype { return raw.baseAddress!.assumingMemoryBound(to: Value.self) }
      dtype.convertElements(raw.baseAddress!, count: count, into: buffer)
      return UnsafePointer(buffer)
    }

    /// The hot loop: finite pairs within the tolerance cost one comparison; anything else
    /// goes to ``classify``.
    mutating func scan(
      count: Int, start: Int, _ a: UnsafePointer<Value>, stride sa: Int, _ rawA: UnsafeRawPointer,
      _ b: UnsafePointer<Value>, stride sb: Int, _ rawB: UnsafeRawPointer
    ) {
      let atol = self.atol, rtol = self.rtol
      for i in 0..<count {
        let x = a[i &* sa], y = b[i &* sb]
        if x.isFinite && y.isFinite && ((x - y).magnitude <= atol + rtol * y.magnitude || x == y) { continue }
        classify(x, y, position: start + i, rawA, i &* sa, rawB, i &* sb)
      }
    }

    /// NumPy's checks for one pair that is not a finite pair within the tolerance.
    mutating func classify(
      _ x: Value, _ y: Value, position: Int, _ rawA: UnsafeRawPointer, _ ia: Int, _ rawB: UnsafeRawPointer, _ ib: Int
    ) {
      if options.equalNaN {
        if x.isNaN != y.isNaN {
          nanLocation = true
          return locationMismatch(position)
        }
        if x.isNaN { return }
      }
      if x.isInfinite != y.isInfinite {
        infLocation = true
        return locationMismatch(position)
      }
      if x.isInfinite {
        if x != y {
          infValues = true
          locationMismatch(position)
        }
        return
      }
      let close = y.isFinite && (x - y).magnitude <= atol + rtol * y.magnitude || x == y
      if close { return }
      mismatch(position: position, x, y, rawA, ia, rawB, ib)
    }

    /// Keeps the first (C order) place where NaN or infinity locations differ.
    mutating func locationMismatch(_ position: Int) {
      let flat = cOrderIndex(position)
      if firstLocation.map({ flat < $0 }) ?? true { firstLocation = flat }
    }

    /// Counts a mismatch, keeps it if it is among the first listed, and updates the maxima.
    mutating func mismatch(
      position: Int, _ x: Value, _ y: Value, _ rawA: UnsafeRawPointer, _ ia: Int, _ rawB: UnsafeRawPointer, _ ib: Int
    ) {
      result.mismatched += 1
      let flat = cOrderIndex(position)
      if options.listed > 0 && (listed.count < options.listed || flat < listed[listed.count - 1].flat) {
        let entry = ArrayMismatch(
          index: multiIndex(flat), actual: actualAccess.text(rawA, ia), desired: desiredAccess.text(rawB, ib),
          actualValue: Double(x), desiredValue: Double(y))
        let at = listed.firstIndex { $0.flat > flat } ?? listed.count
        listed.insert((flat, entry), at: at)
        if listed.count > options.listed { listed.removeLast() }
      }
      guard differenceDType != .bool else { return }
      let difference = absoluteDifference(x, y, rawA, ia, rawB, ib)
      Self.keepMaximum(&maxAbsolute, difference, flat)
      let desiredValue = desiredAccess.double(rawB, ib)
      if desiredValue != 0 {
        Self.keepMaximum(
          &maxRelative,
          Self.rounded(difference / Self.rounded(abs(desiredValue), to: relativeDType), to: relativeDType), flat)
      }
    }

    /// `abs(actual - desired)` in NumPy's dtype for it; for unsigned integers the smaller of
    /// the two wrapped differences, as `assert_array_compare` takes.
    func absoluteDifference(
      _ x: Value, _ y: Value, _ rawA: UnsafeRawPointer, _ ia: Int, _ rawB: UnsafeRawPointer, _ ib: Int
    ) -> Double {
      switch differenceDType.kind {
      case "f":
        let dx = Self.rounded(Double(x), to: differenceDType), dy = Self.rounded(Double(y), to: differenceDType)
        return Self.rounded(abs(dx - dy), to: differenceDType)
      default:
        let bitCount = UInt64(differenceDType.itemSize * 8)
        let mask: UInt64 = bitCount == 64 ? .max : (1 << bitCount) - 1
        let xb = UInt64(bitPattern: actualAccess.bits(rawA, ia)), yb = UInt64(bitPattern: desiredAccess.bits(rawB, ib))
        let forward = (xb &- yb) & mask
        if differenceDType.kind == "u" { return Double(min(forward, (yb &- xb) & mask)) }
        // Sign-extend, then abs wrapping as NumPy's does (abs of the minimum stays negative).
        let shift = 64 - bitCount
        let signed = Int64(bitPattern: forward << shift) >> shift
        let smallest = Int64.min >> shift
        return Double(signed == smallest ? signed : abs(signed))
      }
    }

    /// `value` rounded to the float dtype `dtype` (unchanged for `float64`).
    static func rounded(_ value: Double, to dtype: DType) -> Double {
      switch dtype {
      case .float16: return Double(Float16(value))
      case .float32: return Double(Float(value))
      default: return value
      }
    }

    /// `numpy.max` with the first occurrence: NaN wins, ties keep the smaller index.
    static func keepMaximum(_ current: inout (value: Double, flat: Int)?, _ value: Double, _ flat: Int) {
      guard let now = current else { current = (value, flat); return }
      if now.value.isNaN {
        if value.isNaN && flat < now.flat { current = (value, flat) }
      } else if value.isNaN || value > now.value || (value == now.value && flat < now.flat) {
        current = (value, flat)
      }
    }

    /// The C-order flat index of the element at `position` in iteration order.
    func cOrderIndex(_ position: Int) -> Int {
      guard fortranIteration else { return position }
      return ravelMultiIndex(unravelIndex(position, shape: shape, fortranOrder: true), shape: shape)
    }

    /// The C-order multi-index of a flat index.
    func multiIndex(_ flat: Int) -> [Int] { unravelIndex(flat, shape: shape) }

    mutating func finish() -> ArrayComparison {
      if nanLocation {
        result.outcome = .nanLocationMismatch
      } else if infLocation {
        result.outcome = .infLocationMismatch
      } else if infValues {
        result.outcome = .infValuesMismatch
      } else if result.mismatched > 0 {
        result.outcome = .valuesDiffer
      }
      result.firstLocationMismatch = firstLocation.map(multiIndex)
      result.mismatches = listed.map(\.mismatch)
      if result.mismatched > 0 && differenceDType != .bool {
        if let (value, flat) = maxAbsolute {
          let text =
            differenceDType.kind == "f"
            ? NumPyScalarText.array2string(value, dtype: differenceDType)
            : value >= 0x1p63 ? String(UInt64(value)) : String(Int64(value))
          result.maxAbsolute = MaximumDifference(value: value, index: multiIndex(flat), text: text)
        }
        let relative = maxRelative.map { ($0.value, Optional(multiIndex($0.flat))) } ?? (Double.infinity, nil)
        result.maxRelative = MaximumDifference(
          value: relative.0, index: relative.1,
          text: NumPyScalarText.array2string(relative.0, dtype: relativeDType))
      }
      return result
    }
  }
}
