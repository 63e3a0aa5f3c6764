import Foundation
import NDArray
import NDArrayTraining
import Testing

/// The orders NumPy gives: Tests/Fixtures/training/epoch_orders.json, written by
/// python-interop/gen_epoch_orders.py (one default_rng(seed), permutation(n) once per epoch).
struct EpochOrderCase: Sendable, CustomStringConvertible {
  let seed: UInt64
  let n: Int
  let orders: [[Int]]
  var description: String { "seed \(seed), n \(n)" }

  static let all: [EpochOrderCase] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/training/epoch_orders.json")
    guard let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let cases = object["cases"] as? [[String: Any]]
    else { return [] }
    return cases.map {
      EpochOrderCase(seed: UInt64($0["seed"] as! String)!, n: $0["n"] as! Int, orders: $0["orders"] as! [[Int]])
    }
  }()
}

/// `n` samples whose features are (n, 2, 3) floats telling the sample apart, labels `10 * i`.
func labelledSamples(_ n: Int) -> (x: NDArray<Float>, y: NDArray<Int64>) {
  let x = NDArray<Float>((0..<(n * 6)).map { Float($0) }, shape: [n, 2, 3])
  let y = NDArray<Int64>((0..<n).map { Int64($0 * 10) })
  return (x, y)
}

@Suite struct EpochOrderGoldenTests {
  @Test func fixtureCoversSeveralSeedsLengthsAndEpochs() {
    let cases = EpochOrderCase.all
    #expect(Set(cases.map(\.seed)).count >= 5)
    #expect(Set(cases.map(\.n)).contains(0) && Set(cases.map(\.n)).contains(1))
    #expect(cases.allSatisfy { $0.orders.count >= 3 })
    #expect(cases.count >= 30)
  }

  @Test(arguments: EpochOrderCase.all)
  func everyEpochOrderIsNumPys(_ golden: EpochOrderCase) throws {
    let (x, y) = labelledSamples(golden.n)
    let loader = try BatchLoader(x: x, y: y, batchSize: 4, shuffle: true, seed: golden.seed)
    for (epoch, expected) in golden.orders.enumerated() {
      #expect(loader.order(ofEpoch: epoch) == expected, "epoch \(epoch)")
    }
    #expect(Array(loader.epochs(golden.orders.count)).map(\.order) == golden.orders)
  }

  @Test(arguments: EpochOrderCase.all.filter { $0.n > 0 })
  func batchesAreTheRowsAtTheOrder(_ golden: EpochOrderCase) throws {
    let (x, y) = labelledSamples(golden.n)
    for batchSize in [1, 3, 8] {
      let loader = try BatchLoader(x: x, y: y, batchSize: batchSize, shuffle: true, seed: golden.seed)
      for epoch in 0..<golden.orders.count {
        let order = golden.orders[epoch]
        let batches = Array(loader.epoch(epoch))
        #expect(batches.count == (golden.n + batchSize - 1) / batchSize)
        for (i, batch) in batches.enumerated() {
          let picked = Array(order[(i * batchSize)..<min((i + 1) * batchSize, golden.n)])
          #expect(batch.x.shape == [picked.count, 2, 3])
          #expect(batch.x.flatElements == picked.flatMap { row in (0..<6).map { Float(row * 6 + $0) } })
          #expect(batch.y.flatElements == picked.map { Int64($0 * 10) })
        }
      }
    }
  }
}
