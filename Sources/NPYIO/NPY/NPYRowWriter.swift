import NDArray

/// Where an array is written row by row (along axis 0) and then finished: a `.npy` file
/// (``NPYStreamWriter``) or a `.npz` member (``NPZStreamingMember``), so a caller can hold
/// either as one value.
///
/// The NumPy equivalent is filling `numpy.lib.format.open_memmap` (or an array later passed
/// to `np.savez`) one block of rows at a time.
///
/// ```swift
/// let x: any NPYRowWriter = toNPZ ? try npz.beginStreamingMember(name: "x", dtype: .float32, rowShape: [3])
///                                  : try NPYStreamWriter(url: out, dtype: .float32, rowShape: [3])
/// try x.append(rows)
/// try x.finish()
/// ```
public protocol NPYRowWriter: AnyObject {
  /// The element type of every row.
  var dtype: DType { get }
  /// The shape of one row (the array's shape without axis 0).
  var rowShape: [Int] { get }
  /// Rows appended so far.
  var rowCount: Int { get }

  /// Appends `rows` (shape `[k] + rowShape`, this dtype), in C order whatever their layout.
  func append<Element: NDArrayElement>(_ rows: NDArray<Element>) throws
  /// Appends `rowCount` rows given as native-endian elements in C order.
  func append(rawBytes: UnsafeRawBufferPointer, rowCount: Int) throws
  /// Completes the array with the rows appended so far.
  func finish() throws
  /// Abandons the array; its destination is left as it was. Safe to call twice.
  func abort()
}

extension NPYStreamWriter: NPYRowWriter {}
extension NPZStreamingMember: NPYRowWriter {}
