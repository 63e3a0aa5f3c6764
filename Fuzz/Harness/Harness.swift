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
    case .png, .jpeg:
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
        do { _ = try npz.read(UInt8.self, member.fileName).count } catch { record(error, file: url.path, into: &ignored) }
      }
      if npz.members.count <= maxMembersRead {
        attempt { try npz.verify() }
      }
    }
    return first
  }

  static func runImage(_ bytes: UnsafeRawBufferPointer, name: String) -> FuzzOutcome {
    var first: FuzzOutcome = .accepted
    let variants = [
      DecodeOptions(mode: .rgb),
      DecodeOptions(mode: .gray, applyEXIFOrientation: true, draft: (width: 3, height: 2)),
    ]
    for options in variants {
      do {
        let pixels = try ImageDecoder.decode(bytes, name: name, options: options)
        precondition(pixels.rank == 3 && pixels.shape[2] == options.mode.channels,
                     "decoded shape \(pixels.shape) for mode \(options.mode)")
        touch(AnyNDArray(pixels))
      } catch {
        record(error, file: name, into: &first)
      }
    }
    return first
  }

  // MARK: - Contract checks

  /// Traps unless `error` describes itself in one line that names `file`.
  static func record(_ error: any Error, file: String, into first: inout FuzzOutcome) {
    let message = String(describing: error)
    precondition(!message.contains("\n") && !message.contains("\r"),
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
  static func withScratchFile(_ bytes: UnsafeRawBufferPointer, extension ext: String,
                              _ body: (URL) -> FuzzOutcome) -> FuzzOutcome {
    let path = scratchFolder + "/hostile-fuzz-\(getpid()).\(ext)"
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
