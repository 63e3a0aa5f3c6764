import Foundation
import NDArray

/// A linear softmax classifier trained by minibatch gradient descent on the mean
/// cross-entropy.
///
/// The NumPy equivalent, for features `X` (B, D) and labels `y` (B,):
///
/// ```python
/// z = X @ W + b;  z -= z.max(axis=1, keepdims=True)
/// p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
/// loss = -np.log(p[np.arange(B), y]).mean()
/// g = p.copy(); g[np.arange(B), y] -= 1; g /= B
/// W -= lr * (X.T @ g);  b -= lr * g.sum(axis=0)
/// ```
struct SoftmaxRegression {
  /// (D, K) weights.
  var weights: NDArray<Double>
  /// (K,) biases.
  var bias: NDArray<Double>

  /// Weights drawn as `np.random.default_rng(seed).normal(0, scale, (D, K))`, zero biases.
  init(features: Int, classes: Int, seed: UInt64, scale: Double = 0.01) {
    var generator = NumPyRandomGenerator(seed: seed)
    weights = generator.normal(mean: 0, std: scale, shape: [features, classes])
    bias = NDArray(zeros: [classes])
  }

  /// Row-wise softmax of `X @ W + b` (`scipy.special.softmax(z, axis=1)`), (B, K).
  func probabilities(_ features: NDArray<Double>) -> NDArray<Double> {
    let logits = (features.matmul(weights) + bias).contiguous()
    let classes = bias.shape[0]
    var values = logits.flatElements
    for row in 0..<logits.shape[0] {
      let lane = row * classes..<(row + 1) * classes
      let top = values[lane].max()!
      var total = 0.0
      for i in lane { values[i] = Foundation.exp(values[i] - top); total += values[i] }
      for i in lane { values[i] /= total }
    }
    return NDArray(values, shape: logits.shape)
  }

  /// The mean cross-entropy `-log p[i, y[i]]` over the batch.
  func loss(_ features: NDArray<Double>, labels: NDArray<Int64>) -> Double {
    let p = probabilities(features)
    let classes = bias.shape[0]
    let flat = p.flatElements
    let rows = labels.flatElements.enumerated().map { -Foundation.log(flat[$0.offset * classes + Int($0.element)]) }
    return rows.reduce(0, +) / Double(rows.count)
  }

  /// The fraction of rows whose most probable class is the label.
  func accuracy(_ features: NDArray<Double>, labels: NDArray<Int64>) -> Double {
    let predicted = probabilities(features).argmax(axis: 1).flatElements
    let hits = zip(predicted, labels.flatElements).filter { Int64($0) == $1 }.count
    return Double(hits) / Double(labels.count)
  }

  /// One gradient-descent step on a batch: `W -= lr * X.T @ g`, `b -= lr * g.sum(0)` with
  /// `g = (softmax(X @ W + b) - onehot(y)) / B`.
  mutating func step(_ features: NDArray<Double>, labels: NDArray<Int64>, learningRate: Double) {
    let batch = features.shape[0]
    guard batch > 0 else { return }
    let classes = bias.shape[0]
    var gradient = probabilities(features).flatElements
    for (row, label) in labels.flatElements.enumerated() { gradient[row * classes + Int(label)] -= 1 }
    let g = NDArray(gradient.map { $0 / Double(batch) }, shape: [batch, classes])
    weights = weights - features.T.matmul(g) * learningRate
    bias = bias - g.sum(axes: [0]) * learningRate
  }
}
