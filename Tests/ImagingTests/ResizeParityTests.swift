import Foundation
import NDArray
import Testing

@testable import Imaging

/// Every filter, resize with and without a box, crop and pad, against Pillow's pixels.
@Suite struct ResizeParityTests {
  static let cases = Fixtures.manifest.cases.filter { $0.op != "decode" }

  @Test("resize/crop/pad matches Pillow", arguments: cases)
  func matchesPillow(_ reference: ReferenceCase) throws {
    try reference.check(try reference.run())
  }

  @Test func coversEveryFilterAndSize() {
    for filter in ResizeFilter.allCases {
      let mine = Self.cases.filter { $0.filter == filter.rawValue }
      #expect(mine.contains { $0.op == "resize" && $0.box != nil }, "\(filter): no box case")
      #expect(mine.contains { $0.op == "crop" } && mine.contains { $0.op == "pad" })
      #expect(mine.contains { $0.size == [1, 1] } && mine.contains { $0.size == [300, 2] })
    }
  }

  /// The portable C kernels give Pillow's bytes too, so they equal the AVX2 ones (where the
  /// CPU has them). The kernel choice is an argument of this call only: the other suites,
  /// running in parallel, keep the default kernels.
  @Test func portableKernelsMatchPillowToo() throws {
    let sample = Self.cases.filter { $0.filter != "nearest" }
    try #require(sample.count >= 100 && Set(sample.map(\.op)) == ["resize", "crop", "pad"])
    for reference in sample { try reference.check(try reference.run(kernels: .portable)) }
    if !ResampleKernels.cpuHasAVX2 { print("note: this CPU has no AVX2; only the portable kernels ran") }
  }

  @Test func sameSizeIsACopy() {
    let image = NDArray<UInt8>((0..<24).map { UInt8($0) }, shape: [2, 4, 3])
    for filter in ResizeFilter.allCases {
      let out = resize(image, width: 4, height: 2, filter: filter)
      #expect(out.flatElements == image.flatElements)
    }
  }

  @Test func integerBoxOfOutputSizeIsACrop() {
    let image = NDArray<UInt8>((0..<(6 * 5)).map { UInt8($0) }, shape: [5, 6, 1])
    let out = resize(image, width: 3, height: 2, filter: .lanczos, box: (1, 2, 4, 4))
    #expect(out.flatElements == [13, 14, 15, 19, 20, 21])
  }

  @Test func padCentresOnZeros() {
    let image = NDArray<UInt8>(shape: [10, 20, 3], repeating: 200)
    let out = fit(image, width: 20, height: 20, mode: .pad, filter: .bilinear)
    #expect(out.shape == [20, 20, 3])
    #expect(out[0, 0, 0] == 0 && out[19, 19, 2] == 0)
    #expect(out[5, 0, 0] == 200 && out[14, 19, 1] == 200)
    #expect(out[4, 10, 0] == 0 && out[15, 10, 0] == 0)
  }

  /// A strided view (here a transposed one) resizes like its contiguous copy.
  @Test(arguments: ResizeFilter.allCases)
  func stridedInputResizesLikeItsCopy(_ filter: ResizeFilter) throws {
    let image = try ImageDecoder.decode(contentsOf: Fixtures.url("extra/jpeg_444.jpg"))
    let view = image.transposed([1, 0, 2])
    #expect(!view.isCContiguous)
    let fromView = resize(view, width: 13, height: 29, filter: filter)
    let fromCopy = resize(view.contiguousCopy(), width: 13, height: 29, filter: filter)
    #expect(fromView.flatElements == fromCopy.flatElements)
  }
}
