import Foundation
import HostileInputHarness
import Imaging
import Testing

/// Image inputs that fuzzing or the malformed suite found, pinned to the error they give now.
@Suite struct ImageRegressionTests {
  /// libFuzzer (`-malloc_limit_mb=1024`): a 158-byte PNG whose zTXt chunk declares
  /// 1,845,493,806 bytes made libpng allocate that much before reading the chunk.
  @Test func chunkLongerThanTheFileIsTruncationWithoutAllocating() throws {
    let url = Corpus.regressionFolder(.png).appendingPathComponent("fuzz-ztxt-length-1845493806-oom-c6e3caed.png")
    #expect {
      _ = try ImageDecoder.decode(contentsOf: url)
    } throws: { error in
      guard case ImageError.truncated(_, .png, let message) = error else { return false }
      return message.contains("zTXt declares 1845493806 bytes")
    }
  }

  /// A progressive JPEG with 600 scans over a 2048² frame is refused by the scan limit.
  @Test func progressiveJPEGWithTooManyScansIsRefused() throws {
    let url = Corpus.regressionFolder(.jpeg).appendingPathComponent("progressive-600-scans.jpg")
    #expect {
      _ = try ImageDecoder.decode(contentsOf: url)
    } throws: { error in
      guard case ImageError.unsupported(_, .jpeg, let message) = error else { return false }
      return message.contains("more than 500 scans")
    }
  }
}
