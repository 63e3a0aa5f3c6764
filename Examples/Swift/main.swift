// A Swift program that prepares an image folder for training with the ImageDataset
// library, then reads the result back in minibatches — the Swift twin of
// Examples/load_for_training.py.
//
//     swift run convert-example Samples/images /tmp/example
//
// It converts FOLDER twice: a "training" set standardized with its own exact statistics
// (saved to stats.json), and a "test" set normalized with those training statistics.
import Foundation
import ImageDataset
import NDArray
import NPYIO

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  print("usage: convert-example IMAGE_FOLDER OUTPUT_FOLDER")
  exit(2)
}
let folder = URL(fileURLWithPath: arguments[1])
let outputFolder = URL(fileURLWithPath: arguments[2])
try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
let trainURL = outputFolder.appendingPathComponent("train.npz")
let testURL = outputFolder.appendingPathComponent("test.npz")
let statsURL = outputFolder.appendingPathComponent("train-stats.json")

// 1. Training set: 64x64 RGB, standardized per channel with the dataset's exact statistics.
var options = ConversionOptions()
options.size = ImageSize(width: 64, height: 64)
options.normalization = .standardize
options.statistics = .dataset
options.saveStatisticsTo = statsURL
let train = try DatasetConverter(options: options).convert(folder: folder, to: trainURL)
print("train: \(train.images) images, classes \(train.classes), x \(train.shape) \(train.dtype)")
print("train: mean \(train.statistics.mean), std \(train.statistics.std)")

// 2. Test set: the same options, but the training statistics (never the test set's own).
options.statistics = .file(path: statsURL.path)
options.saveStatisticsTo = nil
let test = try DatasetConverter(options: options).convert(folder: folder, to: testURL)
print("test: \(test.images) images normalized with the training statistics")

// 3. Read the training set back and walk it in shuffled minibatches of 8.
let archive = try NPZReader(url: trainURL)
let x = try archive.read(Float.self, "x")
let y = try archive.read(Int64.self, "y")
let classes = try archive.readStrings("classes")
var order = Array(0..<x.shape[0])
var generator = SplitMix64(seed: 1)
order.shuffle(using: &generator)
for (number, start) in stride(from: 0, to: order.count, by: 8).enumerated() {
  let batch = Array(order[start..<min(start + 8, order.count)])
  // Gather the batch into one contiguous (B, H, W, C) array, as a training step would
  // (NumPy's x[batch], numpy.take).
  let images = x.take(batch, axis: 0)
  let values = images.flatElements
  let mean = values.reduce(0, +) / Float(values.count)
  let names = batch.map { classes[Int(y[item: $0])] }
  print("batch \(number): \(batch.count) images, mean \(String(format: "%+.3f", mean)), labels \(names)")
}
