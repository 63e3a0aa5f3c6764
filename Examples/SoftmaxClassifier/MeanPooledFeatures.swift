import NDArray

/// Why the images cannot be pooled into features.
struct FeatureError: Error, CustomStringConvertible {
  let description: String
}

/// Mean-pools (N, H, W, C) images over a `grid` × `grid` lattice of equal cells into
/// (N, grid·grid·C) float64 features, cell-major then channel.
///
/// The NumPy equivalent is `x.reshape(n, g, h // g, g, w // g, c).mean(axis=(2, 4),
/// dtype=np.float64).reshape(n, -1)`.
func meanPooledFeatures(_ x: NDArray<Float>, grid: Int) throws -> NDArray<Double> {
  guard x.shape.count == 4 else {
    throw FeatureError(description: "expected (N, H, W, C) images, got shape \(x.shape)")
  }
  let (n, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
  guard grid > 0, height % grid == 0, width % grid == 0 else {
    throw FeatureError(description: "a \(grid)×\(grid) grid does not divide \(height)×\(width) images")
  }
  let (cellHeight, cellWidth) = (height / grid, width / grid)
  let pixels = x.contiguous().flatElements
  let featureCount = grid * grid * channels
  var features = [Double](repeating: 0, count: n * featureCount)
  for sample in 0..<n {
    for row in 0..<height {
      for column in 0..<width {
        let cell = (row / cellHeight) * grid + column / cellWidth
        let source = ((sample * height + row) * width + column) * channels
        let target = sample * featureCount + cell * channels
        for channel in 0..<channels { features[target + channel] += Double(pixels[source + channel]) }
      }
    }
  }
  let cellSize = Double(cellHeight * cellWidth)
  return NDArray(features.map { $0 / cellSize }, shape: [n, featureCount])
}
