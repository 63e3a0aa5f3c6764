import Foundation
import NDArray
import NPYIO
import Testing

/// The README's "Using the libraries from Swift" example, compiled and checked, so the
/// documentation cannot drift from the API.
@Suite struct ReadmeExampleTests {
  @Test func standardizeExampleRunsAndStandardizes() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("readme-example-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let pixels = (0..<(20 * 5 * 6 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    try NPY.write(NDArray(pixels, shape: [20, 5, 6, 3]), to: folder.appendingPathComponent("x.npy"))
    // The README's relative paths are resolved in the temporary folder (tests run in
    // parallel, so the working directory is left alone).
    func URL(fileURLWithPath path: String) -> URL { folder.appendingPathComponent(path) }

    // --- begin README example ---
    let images = try NPY.read(UInt8.self, at: URL(fileURLWithPath: "x.npy"))
    let mean = images.mean(axes: [0, 1, 2])  // NDArray<Double>, shape [3]
    let std = images.std(axes: [0, 1, 2])

    var x = images.astype(Float.self) / 255
    x -= mean.astype(Float.self) / 255
    x /= std.astype(Float.self) / 255
    try NPY.write(x, to: URL(fileURLWithPath: "x-standardized.npy"))

    let first = x[0]  // x[0]: (H, W, C) view
    let batch = x[8..<16]  // x[8:16]
    let everyOther = x[.all, .range(0, nil, step: 2)]  // x[:, ::2]
    let nchw = x.transposed([0, 3, 1, 2])
    let bright = x[x .> 1]  // x[x > 1]: a 1-d copy

    var rng = NumPyRandomGenerator(seed: 42)
    let order = rng.permutation(images.shape[0]).flatElements.map { Int($0) }
    let shuffled = x.take(order, axis: 0)  // np.take(x, order, axis=0)
    // --- end README example ---

    #expect(mean.shape == [3] && std.shape == [3])
    #expect(first.shape == [5, 6, 3] && batch.shape == [8, 5, 6, 3])
    #expect(everyOther.shape == [20, 3, 6, 3])
    #expect(nchw.shape == [20, 3, 5, 6])
    #expect(bright.shape.count == 1 && bright.flatElements.allSatisfy { $0 > 1 })
    #expect(bright.shape[0] == x.flatElements.filter { $0 > 1 }.count)
    #expect(order.sorted() == Array(0..<20) && shuffled[0] == x[order[0]])
    let saved = try NPY.read(Float.self, at: folder.appendingPathComponent("x-standardized.npy"))
    let savedMean = saved.mean(axes: [0, 1, 2]).flatElements
    let savedStd = saved.std(axes: [0, 1, 2]).flatElements
    for channel in 0..<3 {
      #expect(abs(savedMean[channel]) < 1e-5)
      #expect(abs(savedStd[channel] - 1) < 1e-5)
    }
  }
}
