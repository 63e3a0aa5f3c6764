import ArgumentParser
import ComplexModule
import Foundation
import NDArray
import NPYIO

/// `normtool recode IN OUT`: rewrite an array file, keeping values, dtype and memory order
/// unless told otherwise (docs/design.md §5).
///
/// The NumPy equivalent is `np.save(OUT, np.load(IN).astype(dtype), ...)` or `np.savez`.
struct RecodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recode",
    abstract: "Rewrite an .npy/.npz array: dtype, memory order, .npy version, compression.",
    discussion: """
      IN and OUT may each be .npy or .npz (by OUT's extension). From an .npz, --member picks one \
      member; without it every member is recoded into an .npz OUT. An .npy IN becomes member \
      --member (default arr_0, as np.savez names it) of an .npz OUT. Output is written to a \
      temporary file and renamed, so OUT appears only complete.
      """
  )

  @Argument(help: "The .npy or .npz file to read.")
  var input: String

  @Argument(help: "The .npy or .npz file to write.")
  var output: String

  @Option(help: "The npz member to read (or the member name to write for .npy → .npz).")
  var member: String?

  @Flag(help: "Deflate the members when OUT is an .npz (np.savez_compressed).")
  var compress = false

  @Option(help: "Deflate level 0-9 with --compress.")
  var level = 6

  @Option(help: "Convert to this dtype: bool, int8…int64, uint8…uint64, float16, float32, float64, complex64, complex128.")
  var dtype: String?

  @Option(help: "Memory order of the output: C or F.")
  var order: String?

  @Option(name: .customLong("npy-version"), help: "The .npy format version to write: 1, 2 or 3 (1.0, 2.0, 3.0).")
  var npyVersion: String?

  func validate() throws {
    if let dtype, DType(rawValue: dtype) == nil {
      throw ValidationError("--dtype \(dtype): expected one of \(DType.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if let order, NPYMemoryOrder(rawValue: order.uppercased()) == nil {
      throw ValidationError("--order \(order): expected C or F")
    }
    if npyVersion != nil, parsedVersion == nil {
      throw ValidationError("--npy-version \(npyVersion!): expected 1, 2 or 3")
    }
    if !(0...9).contains(level) { throw ValidationError("--level \(level): expected 0...9") }
    if compress && !isNPZ(output) { throw ValidationError("--compress needs an .npz OUT; got \(output)") }
  }

  var parsedVersion: NPYVersion? {
    switch npyVersion {
    case "1", "1.0": return .v1
    case "2", "2.0": return .v2
    case "3", "3.0": return .v3
    default: return nil
    }
  }

  func isNPZ(_ path: String) -> Bool { path.lowercased().hasSuffix(".npz") }

  /// One array to write: numbers with their stored byte order, or strings with their shape.
  enum Payload {
    case numbers(AnyNDArray, NPYByteOrder, keepOrder: NPYMemoryOrder?)
    case strings([String], [Int])
  }

  func run() throws {
    let inURL = URL(fileURLWithPath: input)
    var payloads: [(String, Payload)] = []
    switch try ArrayFileKind.of(inURL) {
    case .npy:
      let header = try NPY.readHeader(at: inURL)
      payloads.append((member ?? "arr_0", try load(header: header, numbers: { try NPY.map(at: inURL) },
                                                   strings: { try NPY.readStrings(at: inURL) })))
    case .npz:
      let npz = try NPZReader(url: inURL)
      let names: [String]
      if let member {
        names = [try npz.member(named: member).name]
      } else if isNPZ(output) || npz.members.count == 1 {
        names = npz.memberNames
      } else {
        throw CommandFailure("\(input) has \(npz.members.count) members (\(npz.memberNames.joined(separator: ", "))); pick one with --member to write an .npy")
      }
      for name in names {
        let header = try npz.header(of: name)
        payloads.append((name, try load(header: header, numbers: { try npz.read(name) },
                                        strings: { try npz.readStrings(name) })))
      }
    }
    let outURL = URL(fileURLWithPath: output)
    let memoryOrder = order.flatMap { NPYMemoryOrder(rawValue: $0.uppercased()) }
    if isNPZ(output) {
      let writer = try NPZWriter(url: outURL, compression: compress ? .deflate(level: level) : .stored)
      do {
        for (name, payload) in payloads {
          switch payload {
          case let .numbers(array, byteOrder, keepOrder):
            try writer.write(name: name, array: array, version: parsedVersion, byteOrder: byteOrder,
                             order: memoryOrder ?? keepOrder)
          case let .strings(strings, shape):
            try writer.write(name: name, strings: strings, shape: shape)
          }
        }
        try writer.finish()
      } catch {
        writer.abort()
        throw error
      }
    } else {
      switch payloads[0].1 {
      case let .numbers(array, byteOrder, keepOrder):
        try NPY.write(array, to: outURL, version: parsedVersion, byteOrder: byteOrder, order: memoryOrder ?? keepOrder)
      case let .strings(strings, shape):
        try NPY.write(strings: strings, shape: shape, to: outURL, version: parsedVersion)
      }
    }
  }

  /// Reads one array, keeping its byte order, converted to `--dtype` if given (then native order)
  /// and keeping its memory order (a Fortran file reads as a Fortran-contiguous array).
  func load(header: NPYHeader, numbers: () throws -> AnyNDArray, strings: () throws -> [String]) throws -> Payload {
    switch header.dataType {
    case .unicode, .bytes:
      // String members are copied unchanged; --dtype applies to numeric arrays.
      return .strings(try strings(), header.shape)
    case let .numeric(stored, byteOrder):
      let array = try numbers()
      if let dtype, let target = DType(rawValue: dtype), target != stored {
        // astype keeps a Fortran-ordered array Fortran-ordered (order='K').
        return .numbers(try cast(array, to: target), .little, keepOrder: header.fortranOrder ? .fortran : nil)
      }
      return .numbers(array, byteOrder, keepOrder: nil)
    }
  }
}

// MARK: - Casting: NDArray's astype for a dtype chosen at run time

/// `array.astype(target)` (NumPy's `ndarray.astype`, C order) for an ``AnyNDArray``.
func cast(_ array: AnyNDArray, to target: DType) throws -> AnyNDArray {
  switch array {
  case .bool(let a): return castTyped(a, to: target)
  case .int8(let a): return castTyped(a, to: target)
  case .int16(let a): return castTyped(a, to: target)
  case .int32(let a): return castTyped(a, to: target)
  case .int64(let a): return castTyped(a, to: target)
  case .uint8(let a): return castTyped(a, to: target)
  case .uint16(let a): return castTyped(a, to: target)
  case .uint32(let a): return castTyped(a, to: target)
  case .uint64(let a): return castTyped(a, to: target)
  case .float16(let a): return castTyped(a, to: target)
  case .float32(let a): return castTyped(a, to: target)
  case .float64(let a): return castTyped(a, to: target)
  case .complex64(let a): return castTyped(a, to: target)
  case .complex128(let a): return castTyped(a, to: target)
  }
}

private func castTyped<Source: NDArrayElement>(_ array: NDArray<Source>, to target: DType) -> AnyNDArray {
  switch target {
  case .bool: return AnyNDArray(array.astype(Bool.self))
  case .int8: return AnyNDArray(array.astype(Int8.self))
  case .int16: return AnyNDArray(array.astype(Int16.self))
  case .int32: return AnyNDArray(array.astype(Int32.self))
  case .int64: return AnyNDArray(array.astype(Int64.self))
  case .uint8: return AnyNDArray(array.astype(UInt8.self))
  case .uint16: return AnyNDArray(array.astype(UInt16.self))
  case .uint32: return AnyNDArray(array.astype(UInt32.self))
  case .uint64: return AnyNDArray(array.astype(UInt64.self))
  case .float16: return AnyNDArray(array.astype(Float16.self))
  case .float32: return AnyNDArray(array.astype(Float.self))
  case .float64: return AnyNDArray(array.astype(Double.self))
  case .complex64: return AnyNDArray(array.astype(Complex<Float>.self))
  case .complex128: return AnyNDArray(array.astype(Complex<Double>.self))
  }
}
