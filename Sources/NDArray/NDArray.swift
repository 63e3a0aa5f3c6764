/// An n-dimensional array of `Element`: a shape, strides and an offset over shared,
/// copy-on-write storage.
///
/// The NumPy equivalent is `numpy.ndarray`. Strides here count *elements*, not bytes
/// (NumPy's `ndarray.strides` are in bytes). Views made by slicing, transposing,
/// reshaping or broadcasting share storage with the array they came from until one side
/// writes, at which point the writer copies (value semantics).
///
/// ```swift
/// var a = NDArray<Float>([1, 2, 3, 4, 5, 6], shape: [2, 3])
/// a[1, 2] = 10
/// print(a.shape)   // [2, 3]
/// ```
///
/// Programmer errors — an element count that does not match the shape, an index out of
/// range — trap with a message naming the shapes involved.
public struct NDArray<Element: NDArrayElement>: @unchecked Sendable {
  @usableFromInline var _storage: _NDArrayStorage<Element>
  @usableFromInline var _shape: [Int]
  @usableFromInline var _strides: [Int]
  @usableFromInline var _offset: Int

  /// The size of each dimension (`ndarray.shape`).
  @inlinable public var shape: [Int] { _shape }
  /// The distance in elements between neighbours along each dimension
  /// (`ndarray.strides` divided by `itemsize`). May be zero (broadcast) or negative.
  @inlinable public var strides: [Int] { _strides }
  /// Where element `[0, 0, …]` sits in the storage, in elements.
  @inlinable public var offset: Int { _offset }

  @inlinable
  init(_storage: _NDArrayStorage<Element>, shape: [Int], strides: [Int], offset: Int) {
    self._storage = _storage
    self._shape = shape
    self._strides = strides
    self._offset = offset
  }

  /// An array of the given shape with every element set to `value` (`numpy.full`).
  ///
  /// Traps if any dimension is negative.
  @inlinable
  public init(shape: [Int], repeating value: Element) {
    let count = NDArray.elementCount(of: shape)
    let storage = _NDArrayStorage<Element>(uninitializedCount: count)
    storage.base.initialize(repeating: value, count: count)
    self.init(_storage: storage, shape: shape, strides: NDArray.cStrides(for: shape), offset: 0)
  }

  /// An array of zeros (`numpy.zeros`).
  @inlinable
  public init(zeros shape: [Int]) {
    self.init(shape: shape, repeating: Element.zero)
  }

  /// An array holding `elements` in C (row-major) order (`numpy.array(x).reshape(shape)`).
  ///
  /// Traps if `elements.count` is not the product of `shape`.
  @inlinable
  public init(_ elements: [Element], shape: [Int]) {
    let count = NDArray.elementCount(of: shape)
    precondition(
      elements.count == count,
      "cannot reshape array of size \(elements.count) into shape \(shape)")
    let storage = _NDArrayStorage<Element>(uninitializedCount: count)
    elements.withUnsafeBufferPointer { source in
      if let from = source.baseAddress { storage.base.initialize(from: from, count: count) }
    }
    self.init(_storage: storage, shape: shape, strides: NDArray.cStrides(for: shape), offset: 0)
  }

  /// A one-dimensional array of `elements` (`numpy.array(list)`).
  @inlinable
  public init(_ elements: [Element]) {
    self.init(elements, shape: [elements.count])
  }

  /// A zero-dimensional array holding one value (`numpy.array(value)`).
  @inlinable
  public init(scalar value: Element) {
    self.init([value], shape: [])
  }

  /// A C-contiguous array whose elements `body` writes into uninitialized memory
  /// (the fast path behind `numpy.empty` followed by a fill).
  ///
  /// `body` must initialize every element of the buffer it is given.
  @inlinable
  public init(
    unsafeUninitializedShape shape: [Int],
    initializingWith body: (UnsafeMutableBufferPointer<Element>) throws -> Void
  ) rethrows {
    let count = NDArray.elementCount(of: shape)
    let storage = _NDArrayStorage<Element>(uninitializedCount: count)
    try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
    self.init(_storage: storage, shape: shape, strides: NDArray.cStrides(for: shape), offset: 0)
  }

  /// An array over memory that something else owns, such as a memory-mapped file
  /// (what `numpy.memmap` and `numpy.load(mmap_mode='r')` return).
  ///
  /// - Parameters:
  ///   - base: the first element of the buffer.
  ///   - storageCount: the number of elements in the buffer from `base`.
  ///   - shape: the shape of the array.
  ///   - strides: the strides of the array inside the buffer, in elements.
  ///   - offset: the position of element `[0, 0, …]` inside the buffer, in elements.
  ///   - readOnly: when true, a write through the array copies the data first instead of
  ///     touching `base`.
  ///   - release: runs once when no array uses the buffer any more (e.g. `munmap`).
  ///
  /// Safety: the memory must stay valid and hold initialized elements of `Element` until
  /// `release` runs, and the layout must stay inside the buffer (this traps if it does not).
  public init(
    unsafeBorrowing base: UnsafeMutablePointer<Element>, storageCount: Int,
    shape: [Int], strides: [Int], offset: Int, readOnly: Bool,
    release: @escaping @Sendable () -> Void
  ) {
    precondition(shape.count == strides.count, "shape \(shape) and strides \(strides) differ in rank")
    let storage = _NDArrayStorage<Element>(
      borrowing: base, count: storageCount,
      readOnly: readOnly, release: release)
    self.init(_storage: storage, shape: shape, strides: strides, offset: offset)
    precondition(
      NDArray.layoutFits(shape: shape, strides: strides, offset: offset, in: storageCount),
      "layout shape \(shape) strides \(strides) offset \(offset) exceeds \(storageCount) elements")
  }
}

// MARK: - Layout facts

extension NDArray {
  /// The number of dimensions (`ndarray.ndim`).
  @inlinable public var rank: Int { shape.count }

  /// The number of elements (`ndarray.size`).
  @inlinable public var count: Int { shape.reduce(1, *) }

  /// The element type (`ndarray.dtype`).
  @inlinable public var dtype: DType { Element.dtype }

  /// True when the elements are laid out in C order with no gaps
  /// (`ndarray.flags['C_CONTIGUOUS']`).
  @inlinable public var isCContiguous: Bool {
    NDArray.isContiguous(shape: shape, strides: strides, fortran: false)
  }

  /// True when the elements are laid out in Fortran (column-major) order with no gaps
  /// (`ndarray.flags['F_CONTIGUOUS']`).
  @inlinable public var isFContiguous: Bool {
    NDArray.isContiguous(shape: shape, strides: strides, fortran: true)
  }

  /// Whether writes would go straight to this array's storage without copying first.
  @inlinable public var isStorageReadOnly: Bool { _storage.isReadOnly }

  /// The product of `shape`; traps on a negative dimension or an overflow.
  @inlinable
  public static func elementCount(of shape: [Int]) -> Int {
    var count = 1
    for dimension in shape {
      precondition(dimension >= 0, "negative dimensions are not allowed: shape \(shape)")
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      precondition(!overflow, "shape \(shape) has more elements than Int can count")
      count = product
    }
    return count
  }

  /// C-order strides, in elements, for `shape`.
  @inlinable
  public static func cStrides(for shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = step
      step *= Swift.max(shape[axis], 1)
    }
    return strides
  }

  /// Fortran-order strides, in elements, for `shape`.
  @inlinable
  public static func fortranStrides(for shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in 0..<shape.count {
      strides[axis] = step
      step *= Swift.max(shape[axis], 1)
    }
    return strides
  }

  /// NumPy's contiguity rule: dimensions of size 1 may have any stride, and an empty
  /// array is contiguous both ways.
  @inlinable
  static func isContiguous(shape: [Int], strides: [Int], fortran: Bool) -> Bool {
    if shape.contains(0) { return true }
    var expected = 1
    let axes = fortran ? Array(0..<shape.count) : Array((0..<shape.count).reversed())
    for axis in axes where shape[axis] != 1 {
      if strides[axis] != expected { return false }
      expected *= shape[axis]
    }
    return true
  }

  @usableFromInline
  static func layoutFits(shape: [Int], strides: [Int], offset: Int, in storageCount: Int) -> Bool {
    if shape.contains(0) { return offset >= 0 && offset <= storageCount }
    var low = offset, high = offset
    for (size, step) in zip(shape, strides) {
      if step >= 0 { high += (size - 1) * step } else { low += (size - 1) * step }
    }
    return low >= 0 && high < storageCount
  }
}

// MARK: - Element access

extension NDArray {
  /// The storage position of the element at `indices`; negative indices count from the end
  /// as in NumPy. Traps on a wrong number of indices or an index out of range.
  @inlinable
  func storageIndex(_ indices: [Int]) -> Int {
    precondition(
      indices.count == shape.count,
      "\(indices.count) indices for an array of shape \(shape): an element needs one index per axis (a[i] alone is a view of row i)"
    )
    var position = offset
    for axis in 0..<indices.count {
      var index = indices[axis]
      if index < 0 { index += shape[axis] }
      precondition(
        index >= 0 && index < shape[axis],
        "index \(indices[axis]) is out of bounds for axis \(axis) with size \(shape[axis])")
      position += index * strides[axis]
    }
    return position
  }

  /// The element at a full index of two or more integers (`a[i, j, k]` on an array of
  /// rank 3, NumPy's `a[i, j, k]` giving a scalar). Negative indices count from the end.
  ///
  /// One integer alone, `a[i]`, is a view of row `i` (``subscript(_:)-(Int)``); for the
  /// element of a one-dimensional array, or any element by a list of indices, use
  /// ``subscript(item:)``. Traps unless there is one index per axis, each in range.
  @inlinable
  public subscript(first: Int, second: Int, rest: Int...) -> Element {
    get { _storage.base[storageIndex([first, second] + rest)] }
    set {
      makeUnique()
      _storage.base[storageIndex([first, second] + rest)] = newValue
    }
  }

  /// The element at `indices`, one per axis (`a[item: 3]`, `a[item: i, j]`): NumPy's
  /// `a.item(i, j)` for reading and `a[i, j] = v` for writing. Negative indices count
  /// from the end. Traps unless there is one index per axis, each in range.
  @inlinable
  public subscript(item indices: Int...) -> Element {
    get { _storage.base[storageIndex(indices)] }
    set {
      makeUnique()
      _storage.base[storageIndex(indices)] = newValue
    }
  }

  /// The element at `indices` given as an array (`a[tuple(indices)]`).
  @inlinable
  public subscript(index indices: [Int]) -> Element {
    get { _storage.base[storageIndex(indices)] }
    set {
      makeUnique()
      _storage.base[storageIndex(indices)] = newValue
    }
  }

  /// The single element of a one-element array (`ndarray.item()`). Traps otherwise.
  @inlinable
  public var item: Element {
    precondition(count == 1, "can only convert an array of size 1 to a scalar, not shape \(shape)")
    return _storage.base[offset]
  }

  /// Makes the storage this array's alone and writable, copying it if it is shared or
  /// read-only. Keeps the shape; the copy is C-contiguous.
  @inlinable
  public mutating func makeUnique() {
    if _slowPath(!isKnownUniquelyReferenced(&_storage) || _storage.isReadOnly || _hasOverlap) {
      _makeUniqueCopy()
    }
  }

  /// True when two indices reach the same storage element (a zero stride along an axis
  /// longer than 1, as `broadcast(to:)` makes): writing would change both.
  @inlinable
  var _hasOverlap: Bool {
    for axis in 0..<_shape.count where _strides[axis] == 0 && _shape[axis] > 1 { return true }
    return false
  }

  @inline(never) @usableFromInline
  mutating func _makeUniqueCopy() {
    self = contiguousCopy()
  }
}

// MARK: - Contiguous access

extension NDArray {
  /// A new C-contiguous array with its own storage holding the same elements
  /// (`numpy.ascontiguousarray(a).copy()`).
  @inlinable
  public func contiguousCopy() -> NDArray {
    NDArray(unsafeUninitializedShape: shape) { destination in
      guard let start = destination.baseAddress else { return }
      copyElements(into: start)
    }
  }

  /// The same elements in C order: `self` when already C-contiguous, else a copy
  /// (`numpy.ascontiguousarray`).
  @inlinable
  public func contiguous() -> NDArray {
    isCContiguous ? self : contiguousCopy()
  }

  /// The elements in C order as a Swift array (`ndarray.ravel().tolist()`).
  @inlinable
  public var flatElements: [Element] {
    [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
      if let start = buffer.baseAddress { copyElements(into: start) }
      initialized = count
    }
  }

  /// Calls `body` with the elements in C order. No copy is made when the array is
  /// already C-contiguous.
  @inlinable
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
    let source = contiguous()
    return try body(UnsafeBufferPointer(start: source._storage.base + source.offset, count: source.count))
  }

  /// Calls `body` with the elements in C order, writable. The array is first made
  /// C-contiguous and the sole owner of its storage.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    if !isCContiguous { self = contiguousCopy() } else { makeUnique() }
    return try body(UnsafeMutableBufferPointer(start: _storage.base + offset, count: count))
  }

  /// Calls `body` with the storage of the whole array and its layout, with no copy:
  /// element `[i, j, …]` is at `base[offset + i*strides[0] + j*strides[1] + …]`.
  @inlinable
  public func withUnsafeStridedStorage<R>(
    _ body: (_ base: UnsafePointer<Element>, _ offset: Int, _ shape: [Int], _ strides: [Int]) throws -> R
  ) rethrows -> R {
    try withExtendedLifetime(_storage) {
      try body(UnsafePointer(_storage.base), offset, shape, strides)
    }
  }

  /// Copies the elements, in C order, into `destination`, which must have room for `count`.
  @inlinable
  func copyElements(into destination: UnsafeMutablePointer<Element>) {
    let total = count
    if total == 0 { return }
    let source = _storage.base
    if isCContiguous {
      destination.initialize(from: source + offset, count: total)
      return
    }
    var written = 0
    let innerAxis = shape.count - 1
    let innerCount = shape[innerAxis]
    let innerStride = strides[innerAxis]
    var outer = COrderOdometer(shape: Array(shape[..<innerAxis]))
    let steps = outer.offsetSteps(strides: Array(strides[..<innerAxis]))
    var position = offset
    while written < total {
      for inner in 0..<innerCount {
        (destination + written + inner).initialize(to: source[position + inner * innerStride])
      }
      written += innerCount
      if let axis = outer.advance() { position += steps[axis] }
    }
  }
}
