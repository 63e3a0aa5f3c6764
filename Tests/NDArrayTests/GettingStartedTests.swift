import Testing

@testable import NDArray

/// The code of the DocC article "Getting Started with NDArray", checked.
@Test func gettingStartedArticleWorks() throws {
  let a = NDArray<Float>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  let zeros = NDArray<Double>(zeros: [3, 4])
  let ramp = NDArray<Double>.linspace(0, 1, count: 5)
  let noise = NDArray<Float>.random(shape: [2, 2], seed: 42)
  #expect("\(a)" == "[[1. 2. 3.]\n [4. 5. 6.]]")
  #expect(a.debugDescription == "array([[1., 2., 3.],\n       [4., 5., 6.]], dtype=float32)")
  #expect(zeros.count == 12 && ramp.flatElements == [0, 0.25, 0.5, 0.75, 1] && noise.shape == [2, 2])

  let images = NDArray<UInt8>.random(shape: [8, 32, 32, 3], seed: 1)
  let red = images[.ellipsis, 0]
  let flipped = images[.all, .range(nil, nil, step: -1)]
  let chw = images.transposed([0, 3, 1, 2])
  let flat = images.reshaped([8, -1])
  let column = a[.all, .newAxis, 1]
  #expect(red.shape == [8, 32, 32] && red[0, 0, 0] == images[0, 0, 0, 0])
  #expect(flipped[0, 0, 0, 0] == images[0, 31, 0, 0])
  #expect(chw.shape == [8, 3, 32, 32] && chw[1, 2, 3, 4] == images[1, 3, 4, 2])
  #expect(flat.shape == [8, 3072])
  #expect(column.shape == [2, 1] && column.flatElements == [2, 5])

  let pixels = images.astype(Float.self) / 255
  let mean = NDArray<Float>([0.485, 0.456, 0.406])
  let std = NDArray<Float>([0.229, 0.224, 0.225])
  let normalized = (pixels - mean) / std
  var inPlace = pixels
  inPlace -= mean
  inPlace /= std
  #expect(inPlace == normalized)
  let clipped = normalized.clip(-1, 1)
  #expect(clipped.max().item <= 1 && clipped.min().item >= -1)
  #expect(pixels.sqrt().shape == pixels.shape)

  let channelMean = images.mean(axes: [0, 1, 2])
  let channelStd = images.std(axes: [0, 1, 2])
  let perImage = images.max(axes: [1, 2, 3])
  let total = images.sum()
  let brightest = images.mean(axes: [-1]).argmax(axis: 0)
  #expect(channelMean.shape == [3] && channelStd.shape == [3] && perImage.shape == [8])
  #expect(total.item == images.flatElements.reduce(0) { $0 + UInt64($1) })
  #expect(brightest.shape == [32, 32])

  let any = AnyNDArray(images)
  let stats = try any.statistics(axes: [0, 1, 2])
  #expect(stats.mean == channelMean && stats.count == 8 * 32 * 32)
  #expect(any.typed(as: UInt8.self)?.shape == [8, 32, 32, 3])
}
