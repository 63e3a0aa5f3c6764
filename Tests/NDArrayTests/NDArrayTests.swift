import Testing

@testable import NDArray

@Test func coreLayout() {
  var a = NDArray<Float>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  let b = a
  a[1, 2] = 10
  #expect(a[1, 2] == 10)
  #expect(b[1, 2] == 6)
  #expect(a.isCContiguous)
  #expect(a.strides == [3, 1])
}
