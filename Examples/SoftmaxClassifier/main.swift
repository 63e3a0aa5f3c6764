// softmax-classifier: trains a linear softmax classifier on a dataset normtool wrote, with
// BatchLoader (NumPy-reproducible shuffles) and matmul. See README.md beside this file.
//
//   normtool convert Samples/images -o /tmp/flowers.npz --size 32
//   softmax-classifier /tmp/flowers.npz --epochs 30
import Foundation
import NDArray
import NDArrayTraining
import NPYIO

struct Options {
  var dataset: URL
  var epochs = 30
  var batchSize = 8
  var learningRate = 0.1
  var seed: UInt64 = 0
  var grid = 4
  var stepDump: URL?

  static let usage =
    "usage: softmax-classifier DATASET(.npz|dir) [--epochs N] [--batch-size B] "
    + "[--learning-rate LR] [--seed S] [--grid G] [--step-dump FILE.npz]"

  init(_ arguments: [String]) throws {
    var positional: [String] = []
    var iterator = arguments.makeIterator()
    func value(_ flag: String) throws -> String {
      guard let next = iterator.next() else { throw FeatureError(description: "\(flag) needs a value") }
      return next
    }
    func number<T: LosslessStringConvertible>(_ flag: String) throws -> T {
      let text = try value(flag)
      guard let parsed = T(text) else { throw FeatureError(description: "\(flag): not a number: \(text)") }
      return parsed
    }
    dataset = URL(fileURLWithPath: "")
    while let argument = iterator.next() {
      switch argument {
      case "--epochs": epochs = try number(argument)
      case "--batch-size": batchSize = try number(argument)
      case "--learning-rate": learningRate = try number(argument)
      case "--seed": seed = try number(argument)
      case "--grid": grid = try number(argument)
      case "--step-dump": stepDump = URL(fileURLWithPath: try value(argument))
      default:
        if argument.hasPrefix("--") { throw FeatureError(description: "unknown option \(argument); \(Self.usage)") }
        positional.append(argument)
      }
    }
    guard positional.count == 1 else { throw FeatureError(description: Self.usage) }
    dataset = URL(fileURLWithPath: positional[0])
  }
}

/// Writes what one gradient step on the first batch of epoch 0 started from and gave, so
/// python-interop/test_softmax_example.py can redo the step in NumPy.
func dumpFirstStep(
  _ model: SoftmaxRegression, loader: BatchLoader<Float, Int64>, options: Options,
  to url: URL
) throws {
  var batches = loader.epoch(0).makeIterator()
  guard let first = batches.next() else { return }
  let features = try meanPooledFeatures(first.x, grid: options.grid)
  var stepped = model
  stepped.step(features, labels: first.y, learningRate: options.learningRate)
  let indices: [Int64] = loader.order(ofEpoch: 0).prefix(first.y.count).map { Int64($0) }
  let writer = try NPZWriter(url: url)
  try writer.write(name: "indices", array: NDArray<Int64>(indices))
  try writer.write(name: "features", array: features)
  try writer.write(name: "labels", array: first.y)
  try writer.write(name: "w0", array: model.weights)
  try writer.write(name: "b0", array: model.bias)
  try writer.write(name: "w1", array: stepped.weights)
  try writer.write(name: "b1", array: stepped.bias)
  try writer.write(name: "learning_rate", array: NDArray(scalar: options.learningRate))
  try writer.finish()
}

func run() throws {
  let options = try Options(Array(CommandLine.arguments.dropFirst()))
  let loader = try BatchLoader<Float, Int64>(
    contentsOf: options.dataset, batchSize: options.batchSize,
    shuffle: true, seed: options.seed)
  guard loader.sampleCount > 0 else { throw FeatureError(description: "\(options.dataset.path): no samples") }
  let allFeatures = try meanPooledFeatures(loader.x, grid: options.grid)
  let classes = Int(loader.y.flatElements.max()!) + 1
  var model = SoftmaxRegression(features: allFeatures.shape[1], classes: classes, seed: options.seed &+ 1)
  if let url = options.stepDump { try dumpFirstStep(model, loader: loader, options: options, to: url) }

  print(
    String(
      format: "epoch 0 loss %.6f accuracy %.3f", model.loss(allFeatures, labels: loader.y),
      model.accuracy(allFeatures, labels: loader.y)))
  for (number, epoch) in loader.epochs(options.epochs).enumerated() {
    for batch in epoch {
      model.step(
        try meanPooledFeatures(batch.x, grid: options.grid), labels: batch.y,
        learningRate: options.learningRate)
    }
    print(
      String(
        format: "epoch %d loss %.6f accuracy %.3f", number + 1,
        model.loss(allFeatures, labels: loader.y), model.accuracy(allFeatures, labels: loader.y)))
  }
}

do {
  try run()
} catch {
  FileHandle.standardError.write(Data("softmax-classifier: \(error)\n".utf8))
  exit(1)
}
