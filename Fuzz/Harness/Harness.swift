import Foundation
import Imaging
import NDArray
import NPYIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one input did to a reader.
public enum FuzzOutcome: Equatable, Sendable {
  /// Every entry point read the input without error.
  case accepted
  /// An entry point threw; the first error's one-line message.
  case rejected(String)

  /// The message of a rejection, nil when accepted.
  public var message: String? {
    if case .rejected(let message) = self { return message }
    return nil
  }
}

/// Feeds one input to every public entry point of a parser and checks the contract that
/// holds for any bytes at all: no crash, no hang, no unbounded allocation (the sanitizers and
/// libFuzzer's `-rss_limit_mb`/`-timeout` watch those), and an error that is a one-line
/// message naming the file.
///
/// This module provides no stable Swift API.
public enum Harness {
  /// Runs `target`'s entry points on `bytes`. A contract violation (a message with a line
  /// break or without the file name) traps, so libFuzzer and the replay harness report it.
  @discardableResult
  public static func run(_ target: FuzzTarget, _ bytes: UnsafeRawBufferPointer) -> FuzzOutcome {
    switch target {
    case .npyHeader, .npz:
      return withScratchFile(bytes, extension: target.fileExtension) { url in
        target == .npyHeader ? runNPY(url) : runNPZ(url)
      }
    case .png, .jpeg, .bmp, .pnm, .gif, .webp, .tiff:
      return runImage(bytes, name: "fuzz-input.\(target.fileExtension)")
    }
  }

  /// Same as ``run(_:_:)-(_,UnsafeRawBufferPointer)`` for an array of bytes.
  @discardableResult
  public static func run(_ target: FuzzTarget, _ bytes: [UInt8]) -> FuzzOutcome {
    bytes.withUnsafeBytes { run(target, $0) }
  }

  // MARK: - Entry points

  static func runNPY(_ url: URL) -> FuzzOutcome {
    var first: FuzzOutcome = .accepted
    func attempt(_ body: () throws -> Void) {
      do { try body() } catch { record(error, file: url.path, into: &first) }
    }
    attempt {
      let header = try NPY.readHeader(at: url)
      if header.dataType.numericDType == nil {
        _ = try NPY.readStrings(at: url)
      } else {
        touch(try NPY.read(at: url))
        touch(try NPY.map(at: url))
      }
    }
    // Entry points that valid files of another dtype also refuse: only the contract counts.
    var ignored: FuzzOutcome = .accepted
    do { _ = try NPY.read(Float.self, at: url).count } catch { record(error, file: url.path, into: &ignored) }
    do { _ = try NPY.readStrings(at: url) } catch { record(error, file: url.path, into: &ignored) }
    return first
  }

  /// At most this many members are read per archive, so one input stays fast.
  static let maxMembersRead = 8

  static func runNPZ(_ url: URL) -> FuzzOutcome {
    var first: FuzzOutcome = .accepted
    func attempt(_ body: () throws -> Void) {
      do { try body() } catch { record(error, file: url.path, into: &first) }
    }
    attempt {
      let npz = try NPZReader(url: url)
      for member in npz.members.prefix(maxMembersRead) {
        attempt {
          let header = try npz.header(of: member.fileName)
          if header.dataType.numericDType == nil {
            _ = try npz.readStrings(member.fileName)
          } else {
            touch(try npz.read(member.fileName))
          }
        }
        var ignored: FuzzOutcome = .accepted
        do { _ = try npz.read(UInt8.self, member.fileName).count } catch {
          record(error, file: url.path, into: &ignored)
        }
      }
      if npz.members.count <= maxMembersRead {
        attempt { try npz.verify() }
      }
    }
    return first
  }

  /// Images declaring more pixels than this are not decoded while fuzzing (as OSS-Fuzz's
  /// libjpeg-turbo and libpng targets cap them): a 500-byte file can declare 131 M pixels, a
  /// valid image under Pillow's limit that takes seconds to decode and would stall the
  /// fuzzer. Such bombs are covered by python-interop/test_hostile_images.py instead.
  public static let maxFuzzedPixels = 1 << 22

  static func runImage(_ bytes: UnsafeRawBufferPointer, name: String) -> FuzzOutcome {
    if let (width, height) = declaredSize(bytes),
      width.multipliedReportingOverflow(by: height).overflow || width * height > maxFuzzedPixels
    {
      return .rejected("\(name): \(width)x\(height) is larger than the fuzzing cap of \(maxFuzzedPixels) pixels")
    }
    var first: FuzzOutcome = .accepted
    let variants = [
      DecodeOptions(mode: .rgb),
      DecodeOptions(mode: .gray, applyEXIFOrientation: true, draft: (width: 3, height: 2)),
      DecodeOptions(mode: .gray3, alphaBackground: BackgroundColor(red: 1, green: 128, blue: 255)),
    ]
    for options in variants {
      do {
        let pixels = try ImageDecoder.decode(bytes, name: name, options: options)
        precondition(
          pixels.rank == 3 && pixels.shape[2] == options.mode.channels,
          "decoded shape \(pixels.shape) for mode \(options.mode)")
        touch(AnyNDArray(pixels))
      } catch {
        record(error, file: name, into: &first)
      }
    }
    // --depth 16 with alpha kept (issue 11): the 16-bit and tRNS paths of the decoders.
    do {
      let pixels = try ImageDecoder.decodeSixteenBit(bytes, name: name, options: DecodeOptions(mode: .rgba))
      precondition(pixels.rank == 3 && pixels.shape[2] == 4, "decoded shape \(pixels.shape) for 16-bit rgba")
      touch(AnyNDArray(pixels))
    } catch {
      record(error, file: name, into: &first)
    }
    return first
  }

  /// Width and height from a PNG's IHDR, a JPEG's first SOF marker, a BMP's info header, a
  /// GIF's logical screen or a WebP's VP8X canvas, if present (the decoders of the other
  /// layouts cannot allocate more than a small multiple of the file's size).
  static func declaredSize(_ bytes: UnsafeRawBufferPointer) -> (Int, Int)? {
    func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    func u32(_ at: Int) -> Int { u16(at) << 16 | u16(at + 2) }
    func le(_ at: Int, _ count: Int) -> Int { (0..<count).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
    func starts(_ text: String, at offset: Int = 0) -> Bool {
      let prefix = Array(text.utf8)
      return bytes.count >= offset + prefix.count && prefix.indices.allSatisfy { bytes[offset + $0] == prefix[$0] }
    }
    if starts("BM") && bytes.count >= 26 {
      if le(14, 4) == 12 { return (le(18, 2), le(20, 2)) }
      let height = le(22, 4)
      return (le(18, 4), bytes[25] == 0xFF ? (1 << 32) - height : height)
    }
    if starts("GIF") && bytes.count >= 13 { return gifCanvas(bytes) }
    if starts("RIFF") && starts("WEBPVP8X", at: 8) && bytes.count >= 30 {
      return (le(24, 3) + 1, le(27, 3) + 1)
    }
    if bytes.count >= 24 && bytes[0] == 0x89 && bytes[1] == 0x50 {
      return (u32(16), u32(20))
    }
    guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
    var position = 2
    while position + 9 <= bytes.count {
      guard bytes[position] == 0xFF else { position += 1; continue }
      let marker = bytes[position + 1]
      if marker == 0xFF || marker == 0x01 || (0xD0...0xD8).contains(marker) { position += 1; continue }
      if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) {
        return (u16(position + 7), u16(position + 5))
      }
      if marker == 0xDA || marker == 0xD9 { return nil }
      position += 2 + u16(position + 2)
    }
    return nil
  }

  /// The GIF canvas: the logical screen grown to hold the first frame, as the decoder does.
  static func gifCanvas(_ bytes: UnsafeRawBufferPointer) -> (Int, Int) {
    func le16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    var width = le16(6), height = le16(8)
    var position = 13 + (bytes[10] & 0x80 != 0 ? 3 * (2 << Int(bytes[10] & 7)) : 0)
    while position < bytes.count {
      let kind = bytes[position]
      position += 1
      if kind == 0x3B { break }
      if kind == 0x21 {
        position += 1
        while position < bytes.count && bytes[position] != 0 { position += Int(bytes[position]) + 1 }
        position += 1
      } else if kind == 0x2C {
        guard position + 8 <= bytes.count else { break }
        width = max(width, le16(position) + le16(position + 4))
        height = max(height, le16(position + 2) + le16(position + 6))
        break
      }
    }
    return (width, height)
  }

  // MARK: - Contract checks

  /// Traps unless `error` describes itself in one line that names `file`.
  static func record(_ error: any Error, file: String, into first: inout FuzzOutcome) {
    let message = String(describing: error)
    precondition(
      !message.contains("\n") && !message.contains("\r"),
      "error message is not one line: \(message.debugDescription)")
    precondition(message.contains(file), "error message does not name the file \(file): \(message)")
    if first == .accepted { first = .rejected(message) }
  }

  /// Reads every byte of the array in C order, so a bad count, stride or buffer faults
  /// here (under AddressSanitizer) rather than later in a caller.
  static func touch(_ array: AnyNDArray) {
    let expected = array.shape.reduce(1, *)
    array.withTyped { typed in
      precondition(typed.count == expected, "count \(typed.count) for shape \(typed.shape)")
      let checksum = typed.withUnsafeRawBytes { raw in raw.reduce(UInt8(0)) { $0 ^ $1 } }
      blackHole(checksum)
    }
  }

  @inline(never)
  static func blackHole(_ value: UInt8) { _ = value }

  // MARK: - Scratch files

  /// The readers take paths, so each input is written to a scratch file in a RAM-backed
  /// folder (`/dev/shm` when present) and removed afterwards.
  static func withScratchFile(
    _ bytes: UnsafeRawBufferPointer, extension ext: String,
    _ body: (URL) -> FuzzOutcome
  ) -> FuzzOutcome {
    // A name of its own per call: tests replay several corpora at once in one process.
    let path = scratchFolder + "/hostile-fuzz-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).\(ext)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    precondition(fd >= 0, "cannot create the scratch file \(path): errno \(errno)")
    var written = 0
    while written < bytes.count {
      let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
      precondition(n > 0 || errno == EINTR, "cannot write the scratch file \(path): errno \(errno)")
      if n > 0 { written += n }
    }
    close(fd)
    defer { unlink(path) }
    return body(URL(fileURLWithPath: path))
  }

  static let scratchFolder: String = {
    var info = stat()
    if stat("/dev/shm", &info) == 0 && access("/dev/shm", W_OK) == 0 { return "/dev/shm" }
    return NSTemporaryDirectory().hasSuffix("/") ? String(NSTemporaryDirectory().dropLast()) : NSTemporaryDirectory()
  }()
}
