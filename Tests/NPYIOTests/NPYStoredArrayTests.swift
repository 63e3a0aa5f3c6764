import Foundation
import NDArray
import NPYIO
import Testing

/// Recode's read-convert-write lives in NPYIO (issue 10 item 5): an array keeps its byte
/// order and memory order unless converted; a conversion follows numpy's casting rules.
@Suite struct NPYStoredArrayTests {
  @Test func anUnconvertedArrayKeepsByteOrderAndMemoryOrder() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = Fixtures.url("f8_be_F_v2.npy")
    let stored = try NPYStoredArray.read(npyAt: source)
    guard case .numbers(let array, let byteOrder, let order) = stored else { Issue.record("not numbers"); return }
    #expect(byteOrder == .big && order == nil && array.dtype == .float64)
    let out = folder.appendingPathComponent("out.npy")
    try stored.write(to: out)
    let header = try NPY.readHeader(at: out)
    #expect(header.descr == ">f8" && header.fortranOrder)
    #expect(Fixtures.cBytesLE(try NPY.read(at: out)) == Fixtures.cBytesLE(try NPY.read(at: source)))
  }

  @Test func aConversionWritesLittleEndianAndKeepsFortranOrder() throws {
    let folder = Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = Fixtures.url("f8_be_F_v2.npy")
    let stored = try NPYStoredArray.read(npyAt: source, convertingTo: .float32)
    let zip = folder.appendingPathComponent("out.npz")
    let writer = try NPZWriter(url: zip)
    try stored.write(name: "x", into: writer, version: .v3)
    try writer.finish()
    let reader = try NPZReader(url: zip)
    let header = try reader.header(of: "x")
    #expect(header.descr == "<f4" && header.fortranOrder && header.version == .v3)
    #expect(
      try reader.read("x").astype(.float64).typed(as: Double.self)!.flatElements
        == NPY.read(Double.self, at: source).astype(Float.self).astype(Double.self).flatElements)

    // An explicit order wins over keeping Fortran order.
    guard case .numbers(_, _, let order) = try NPYStoredArray.read(npyAt: source, convertingTo: .float32, order: .c)
    else {
      Issue.record("not numbers"); return
    }
    #expect(order == .c)
  }

  @Test func refusedConversionsSayWhy() throws {
    let source = Fixtures.url("f8_be_F_v2.npy")
    #expect(throws: NPYConversionError.castNotAllowed(from: .float64, to: .uint8, casting: .sameKind)) {
      try NPYStoredArray.read(npyAt: source, convertingTo: .uint8)
    }
    if case .numbers(let array, _, _) = try NPYStoredArray.read(npyAt: source, convertingTo: .uint8, casting: .unsafe) {
      #expect(array.dtype == .uint8)
    } else {
      Issue.record("not numbers")
    }
    let strings = Fixtures.url("str_Ube1_2dC_v3.npy")
    #expect(throws: NPYConversionError.stringArray(descr: ">U1", target: .float32)) {
      try NPYStoredArray.read(npyAt: strings, convertingTo: .float32)
    }
    guard case .strings = try NPYStoredArray.read(npyAt: strings, order: .fortran) else {
      Issue.record("not strings"); return
    }
    #expect(
      "\(NPYConversionError.castNotAllowed(from: .float64, to: .uint8, casting: .sameKind))"
        == "cannot cast float64 to uint8 under casting 'same_kind'")
  }
}
