// TEMPORARY: stand-ins for the Imaging and NPYIO APIs promised by their issues, so that
// this target builds before those branches land. Deleted when main is merged.
import Foundation
import NDArray

public enum ColorMode: Sendable { case rgb, gray }
public enum ResizeFilter: Sendable { case nearest, box, bilinear, hamming, bicubic, lanczos }
public enum ResizeMode: Sendable { case stretch, crop, pad }
public struct DecodeOptions: Sendable {
  public var mode: ColorMode
  public var applyEXIFOrientation: Bool
  public init(mode: ColorMode = .rgb, applyEXIFOrientation: Bool = false) {
    self.mode = mode; self.applyEXIFOrientation = applyEXIFOrientation
  }
}
public struct ImageError: Error, CustomStringConvertible { public var description: String }
public enum ImageDecoder {
  public static func decode(contentsOf url: URL, options: DecodeOptions) throws -> NDArray<UInt8> {
    throw ImageError(description: "\(url.path): decoding is not available yet")
  }
}
public func fit(_ image: NDArray<UInt8>, width: Int, height: Int, mode: ResizeMode, filter: ResizeFilter) -> NDArray<UInt8> {
  precondition(image.shape[0] == height && image.shape[1] == width, "stub cannot resize")
  return image
}

public struct NPYStreamWriter {
  let url: URL
  let temp: URL
  let handle: FileHandle
  let dtype: DType
  let rowShape: [Int]
  var rows = 0
  public init(url: URL, dtype: DType, rowShape: [Int]) throws {
    self.url = url; self.dtype = dtype; self.rowShape = rowShape
    temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
    _ = FileManager.default.createFile(atPath: temp.path, contents: nil)
    handle = try FileHandle(forWritingTo: temp)
    try handle.write(contentsOf: Data(count: 128))
  }
  public mutating func append(rawBytes: UnsafeRawBufferPointer, rowCount: Int) throws {
    try handle.write(contentsOf: Data(rawBytes)); rows += rowCount
  }
  public mutating func finish() throws {
    let descr = ["uint8": "|u1", "float16": "<f2", "float32": "<f4", "float64": "<f8", "int64": "<i8"][dtype.rawValue]!
    let shape = [rows] + rowShape
    var text = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))), }"
    while (10 + text.utf8.count + 1) % 128 != 0 { text += " " }
    text += "\n"
    var header = Data([0x93]) + "NUMPY".data(using: .ascii)! + Data([1, 0])
    header.append(UInt8(text.utf8.count & 255)); header.append(UInt8(text.utf8.count >> 8))
    header += text.data(using: .ascii)!
    try handle.seek(toOffset: 0); try handle.write(contentsOf: header); try handle.close()
    guard rename(temp.path, url.path) == 0 else { throw ImageError(description: "rename failed") }
  }
  public func abort() { try? handle.close(); try? FileManager.default.removeItem(at: temp) }
}
public enum NPZCompression: Sendable { case stored, deflate(level: Int) }
public struct NPZWriter {
  public init(url: URL, compression: NPZCompression) throws {
    throw ImageError(description: "npz writing is not available yet")
  }
  public mutating func write<E: NDArrayElement>(name: String, array: NDArray<E>) throws {}
  public mutating func write(name: String, strings: [String]) throws {}
  public mutating func write(name: String, npyFileAt url: URL) throws {}
  public mutating func finish() throws {}
  public func abort() {}
}
public enum NPY {
  public static func write<E: NDArrayElement>(_ array: NDArray<E>, to url: URL) throws {
    var w = try NPYStreamWriter(url: url, dtype: E.dtype, rowShape: Array(array.shape.dropFirst()))
    try array.withUnsafeRawBytes { try w.append(rawBytes: $0, rowCount: array.shape[0]) }
    try w.finish()
  }
  public static func write(strings: [String], to url: URL) throws {
    let width = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
    var data = Data()
    for s in strings {
      var scalars = s.unicodeScalars.map { $0.value }
      scalars += Array(repeating: 0, count: width - scalars.count)
      for v in scalars { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    }
    var text = "{'descr': '<U\(width)', 'fortran_order': False, 'shape': (\(strings.count),), }"
    while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
    text += "\n"
    var header = Data([0x93]) + "NUMPY".data(using: .ascii)! + Data([1, 0])
    header.append(UInt8(text.utf8.count & 255)); header.append(UInt8(text.utf8.count >> 8))
    try (header + text.data(using: .ascii)! + data).write(to: url)
  }
}
public final class NPZReader {
  public init(url: URL) throws { throw ImageError(description: "npz reading is not available yet") }
  public func read<E: NDArrayElement>(_ type: E.Type, _ name: String) throws -> NDArray<E> { fatalError() }
  public func readStrings(_ name: String) throws -> [String] { [] }
}
