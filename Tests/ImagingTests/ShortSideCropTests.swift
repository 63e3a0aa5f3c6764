import NDArray
import Testing

@testable import Imaging

/// torchvision's `Resize(N)` size rule and `CenterCrop` offsets; the pixels themselves are
/// checked against Pillow in python-interop/test_presets.py.
@Suite struct ShortSideCropTests {
  @Test func theLongSideIsTruncatedAsTorchvisionDoes() {
    // int(256 * 500 / 375) = int(341.33) = 341; int(256 * 333 / 500) … the short side is 333.
    #expect(shortSideResizedSize(width: 500, height: 375, shortSide: 256) == (341, 256))
    #expect(shortSideResizedSize(width: 333, height: 500, shortSide: 256) == (256, 384))  // 384.38
    #expect(shortSideResizedSize(width: 640, height: 640, shortSide: 224) == (224, 224))
    #expect(shortSideResizedSize(width: 3, height: 2, shortSide: 224) == (336, 224))
  }

  @Test func cropOffsetsRoundHalfToEven() {
    // int(round((257 - 224) / 2.0)) = round(16.5) = 16; round(17.5) = 18.
    #expect(centerCropOffsets(imageWidth: 257, imageHeight: 259, width: 224, height: 224) == (16, 18))
    #expect(centerCropOffsets(imageWidth: 224, imageHeight: 300, width: 224, height: 224) == (0, 38))
  }

  @Test func aCropLargerThanTheImageIsPaddedWithZerosFirst() {
    // 2x2 image, short side 2 (no resize), crop 4x3: padded left (4-2)//2 = 1, top (3-2)//2 = 0.
    let image = NDArray<UInt8>([1, 2, 3, 4], shape: [2, 2, 1])
    let out = resizeShortSideAndCenterCrop(image, shortSide: 2, width: 4, height: 3, filter: .bilinear)
    #expect(out.shape == [3, 4, 1])
    #expect(out.flatElements == [0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0])
  }

  @Test func aWindowInsideIsAPlainCrop() {
    let image = NDArray<UInt8>((0..<20).map(UInt8.init), shape: [4, 5, 1])
    // short side 4 already: no resize; crop 3x2 at (round(1.0), round(1.0)) = (1, 1).
    let out = fit(image, width: 3, height: 2, mode: .shortSideCrop, filter: .bicubic, shortSide: 4)
    #expect(out.flatElements == [6, 7, 8, 11, 12, 13])
  }
}
