import Foundation
import Testing

@testable import NDArray

func decodeIndex(_ items: Any?) -> [NDIndex] {
  (items as? [Any] ?? []).map { item in
    if let word = item as? String { return word == "newaxis" ? .newAxis : .ellipsis }
    let dict = item as! [String: Any]
    if let i = dict["int"] as? NSNumber { return .at(i.intValue) }
    let parts = dict["slice"] as! [Any]
    func bound(_ x: Any) -> Int? { (x as? NSNumber)?.intValue }
    return .slice(start: bound(parts[0]), stop: bound(parts[1]), step: bound(parts[2]) ?? 1)
  }
}

func arange32(_ shape: [Int]) -> NDArray<Int32> {
  NDArray<Int32>(Array(0..<Int32(shape.reduce(1, *))), shape: shape)
}

/// Integer, slice (negative steps, out-of-range bounds, empty), new-axis and ellipsis
/// indexing, and views of views, against NumPy.
@Test func indexingMatchesNumPy() {
  for entry in Fixture.cases("indexing.json") {
    let shape = (entry["shape"] as! [NSNumber]).map(\.intValue)
    var view = arange32(shape)[indices: decodeIndex(entry["index"])]
    if let then = entry["then"] { view = view[indices: decodeIndex(then)] }
    expectMatches(AnyNDArray(view), Encoded(entry["result"]), "index \(entry["index"]!) of \(shape)")
  }
}

@Test func slicesAreViewsAndAssignmentBroadcasts() {
  var a = arange32([3, 4])
  let column = a[.all, 1]
  #expect(column._storage === a._storage)  // a view, no copy
  #expect(column.flatElements == [1, 5, 9])
  #expect(a[.range(nil, nil, step: -1), .range(1..<3)].flatElements == [9, 10, 5, 6, 1, 2])
  a[.all, .range(1...)] = NDArray<Int32>([7, 8, 9])  // broadcast (3,) into (3, 3)
  #expect(a.flatElements == [0, 7, 8, 9, 4, 7, 8, 9, 8, 7, 8, 9])
  #expect(column.flatElements == [1, 5, 9])  // the earlier view kept its values
  a[1] = NDArray(scalar: -1)
  #expect(a[1].flatElements == [-1, -1, -1, -1])
  a[.ellipsis, .range(nil, nil, step: 2)] = a[.ellipsis, .range(1, nil, step: 2)]  // overlapping source
  #expect(a.flatElements == [7, 7, 9, 9, -1, -1, -1, -1, 7, 7, 9, 9])
  let b = arange32([2, 3, 4])
  #expect(b[.all, .range(1, 5, step: 2), .newAxis, .ellipsis, 3].shape == [2, 1, 1])
  #expect(b[1, .ellipsis].shape == [3, 4])
  #expect(b[.newAxis].shape == [1, 2, 3, 4])
}

@Test func shapeViewsMatchNumPy() {
  let shapes = Fixture.object("shapes.json")
  let base = NDArray<Int16>(Array(0..<24), shape: [2, 3, 4])
  for entry in shapes["reshape"] as! [[String: Any]] {
    let to = (entry["to"] as! [NSNumber]).map(\.intValue)
    var source = base
    if let axes = entry["transpose"] as? [NSNumber] { source = base.transposed(axes.map(\.intValue)) }
    let reshaped = source.reshaped(to)
    expectMatches(AnyNDArray(reshaped), Encoded(entry["result"]), "reshape \(source.shape) → \(to)")
    if source.isCContiguous { #expect(reshaped._storage === base._storage, "reshape of contiguous is a view") }
  }
  for entry in shapes["transpose"] as! [[String: Any]] {
    let axes = (entry["axes"] as? [NSNumber])?.map(\.intValue)
    expectMatches(AnyNDArray(base.transposed(axes)), Encoded(entry["result"]), "transpose \(String(describing: axes))")
  }
  let small = NDArray<Int16>(Array(0..<6), shape: [1, 3, 1, 2])
  for entry in shapes["squeeze"] as! [[String: Any]] {
    let axes = (entry["axes"] as? [NSNumber])?.map(\.intValue)
    expectMatches(
      AnyNDArray(small.squeezed(axes: axes)), Encoded(entry["result"]), "squeeze \(String(describing: axes))")
  }
  let matrix = NDArray<Int16>(Array(0..<6), shape: [2, 3])
  for entry in shapes["expand"] as! [[String: Any]] {
    let axis = (entry["axis"] as! NSNumber).intValue
    expectMatches(AnyNDArray(matrix.expandingDims(at: axis)), Encoded(entry["result"]), "expand \(axis)")
  }
  for entry in shapes["broadcast"] as! [[String: Any]] {
    let shape = (entry["shape"] as! [NSNumber]).map(\.intValue)
    let to = (entry["to"] as! [NSNumber]).map(\.intValue)
    let source = NDArray<Int16>(Array(0..<Int16(shape.reduce(1, *))), shape: shape)
    expectMatches(AnyNDArray(source.broadcast(to: to)), Encoded(entry["result"]), "broadcast \(shape) → \(to)")
  }
  for entry in shapes["concatenate"] as! [[String: Any]] {
    let arrays = (entry["shapes"] as! [[NSNumber]]).map { s -> NDArray<Int16> in
      let shape = s.map(\.intValue)
      return NDArray<Int16>(Array(0..<Int16(shape.reduce(1, *))), shape: shape)
    }
    let axis = (entry["axis"] as! NSNumber).intValue
    expectMatches(
      AnyNDArray(NDArray.concatenate(arrays, axis: axis)), Encoded(entry["result"]), "concatenate axis \(axis)")
  }
  for entry in shapes["stack"] as! [[String: Any]] {
    let axis = (entry["axis"] as! NSNumber).intValue
    expectMatches(
      AnyNDArray(NDArray.stack([matrix, matrix], axis: axis)), Encoded(entry["result"]), "stack axis \(axis)")
  }
}

/// Writing through a broadcast view copies first (the stride-0 storage is shared).
@Test func broadcastViewsCopyOnWrite() {
  var b = NDArray<Float>([1, 2, 3]).broadcast(to: [2, 3])
  #expect(b.strides == [0, 1])
  b[0, 0] = 9
  #expect(b.flatElements == [9, 2, 3, 1, 2, 3])
  #expect(b.isCContiguous)
}

@Test func creationMatchesNumPy() {
  let creation = Fixture.object("creation.json")
  for entry in creation["arange"] as! [[String: Any]] {
    let start = (entry["start"] as! NSNumber).doubleValue
    let stop = (entry["stop"] as! NSNumber).doubleValue
    let step = (entry["step"] as! NSNumber).doubleValue
    expectMatches(
      AnyNDArray(NDArray<Double>.arange(start, stop, step: step)), Encoded(entry["result"]),
      rtol: 1e-15, "arange(\(start), \(stop), \(step))")
  }
  for entry in creation["linspace"] as! [[String: Any]] {
    let start = (entry["start"] as! NSNumber).doubleValue
    let stop = (entry["stop"] as! NSNumber).doubleValue
    let count = (entry["num"] as! NSNumber).intValue
    let endpoint = entry["endpoint"] as! Bool
    expectMatches(
      AnyNDArray(NDArray<Double>.linspace(start, stop, count: count, endpoint: endpoint)),
      Encoded(entry["result"]), "linspace(\(start), \(stop), \(count), \(endpoint))")
  }
  #expect(NDArray<Int64>.arange(4).flatElements == [0, 1, 2, 3])
  #expect(NDArray<UInt8>(ones: [2]).flatElements == [1, 1])
  // Seeded random arrays are reproducible and do not depend on the thread count.
  let r1 = NDArray<Float>.random(shape: [300_000], seed: 42)
  let r2 = _Parallel.$threadCountOverride.withValue(1) { NDArray<Float>.random(shape: [300_000], seed: 42) }
  #expect(r1 == r2)
  #expect(r1.min().item >= 0 && r1.max().item < 1)
  #expect(NDArray<Float>.random(shape: [5], seed: 43) != NDArray<Float>.random(shape: [5], seed: 42))
  let dice = NDArray<Int8>.random(shape: [1000], in: 1...6, seed: 1)
  #expect(dice.min().item == 1 && dice.max().item == 6)
}

/// `description` is NumPy's `str(a)` and `debugDescription` its `repr(a)`, including
/// summarised (`...`) printing of big arrays and scientific notation.
@Test func descriptionMatchesNumPy() {
  for entry in Fixture.cases("description.json") {
    let input = Encoded(entry["array"])
    let (str, repr) = input.array.withTyped { array -> (String, String) in
      ("\(array)", (array as! CustomDebugStringConvertible).debugDescription)
    }
    #expect(str == entry["str"] as! String, "str of \(input)")
    #expect(repr == entry["repr"] as! String, "repr of \(input)")
  }
}
