import Foundation
import Testing

@testable import NDArray

/// NumPy's answers in Tests/Fixtures/linalg/cases.json, written by
/// python-interop/gen_linalg_cases.py (which documents the encoding).
struct LinalgCases: Decodable, Sendable {
  struct Array: Decodable, Sendable {
    let dtype: String
    let shape: [Int]
    let data: [String]
    let view: String?

    /// The array as `T`, with its view (a transposed or reversed stride) applied.
    func typed<T: LinearAlgebraScalar>(_: T.Type = T.self) -> NDArray<T> {
      var array = NDArray<T>(data.map { T(Double($0)!) }, shape: shape)
      switch view {
      case "swap": array = array.swappingAxes(-1, -2)
      case "reverse":
        var indices = [NDIndex](repeating: .all, count: shape.count)
        indices[shape.count - 2] = .slice(start: nil, stop: nil, step: -1)
        array = array[indices: indices]
      default: break
      }
      return array
    }
  }
  struct Product: Decodable, Sendable { let a: Array; let b: Array; let expected: Array }
  struct TensorProduct: Decodable, Sendable {
    let a: Array; let b: Array; let expected: Array; let axes: Axes
    enum Axes: Decodable, Sendable {
      case count(Int)
      case pairs([Int], [Int])
      init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) { self = .count(count); return }
        let pairs = try container.decode([[Int]].self)
        self = .pairs(pairs[0], pairs[1])
      }
    }
  }
  struct Eigh: Decodable, Sendable {
    let a: Array; let upper: Bool; let eigenvalues: Array; let eigenvectors: Array; let eigvalsh: Array
  }
  struct SVD: Decodable, Sendable {
    struct Factors: Decodable, Sendable { let u: Array; let s: Array; let vh: Array }
    let a: Array; let svdvals: Array; let full: Factors; let reduced: Factors
  }
  struct Solve: Decodable, Sendable { let a: Array; let b: Array; let expected: Array }
  struct Unary: Decodable, Sendable { let a: Array; let expected: Array }
  struct Cholesky: Decodable, Sendable { let a: Array; let upper: Bool; let expected: Array }
  struct Det: Decodable, Sendable { let a: Array; let sign: Array; let logabsdet: Array; let det: Array }
  struct Norm: Decodable, Sendable {
    let x: Array; let ord: String?; let axes: [Int]?; let keepdims: Bool; let expected: Array
  }
  struct Failure: Decodable, Sendable { let function: String; let a: Array; let message: String }
  struct Sections: Decodable, Sendable {
    let matmul: [Product]; let dot: [Product]; let tensordot: [TensorProduct]; let outer: [Product]
    let eigh: [Eigh]; let svd: [SVD]; let solve: [Solve]; let inv: [Unary]; let cholesky: [Cholesky]
    let det: [Det]; let norm: [Norm]; let errors: [Failure]
  }
  let numpy: String
  let cases: Sections

  static let shared: LinalgCases = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/linalg/cases.json")
    do {
      return try JSONDecoder().decode(LinalgCases.self, from: Data(contentsOf: url))
    } catch {
      fatalError("cannot read \(url.path) (\(error)); run python3 python-interop/gen_linalg_cases.py")
    }
  }()
}

/// The tolerance of the parity contract: 1e-10 relative for float64, 1e-4 for float32.
func parityTolerance<T: LinearAlgebraScalar>(_: T.Type) -> Double { T.self == Double.self ? 1e-10 : 1e-4 }

/// Expects `ours` to have `expected`'s shape and values: every element within `tolerance`
/// times the largest magnitude in `expected` (relative to the array's scale, so entries
/// that cancel to near zero do not need a relative precision no LAPACK gives), and the
/// same non-finite values in the same places.
func expectClose<T: LinearAlgebraScalar>(
  _ ours: NDArray<T>, _ expected: NDArray<T>, tolerance: Double? = nil,
  _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard ours.shape == expected.shape else {
    Issue.record("\(label): shape \(ours.shape), NumPy \(expected.shape)", sourceLocation: sourceLocation)
    return
  }
  let tolerance = tolerance ?? parityTolerance(T.self)
  let want = expected.flatElements.map { Double($0) }
  let got = ours.flatElements.map { Double($0) }
  let scale = Swift.max(want.filter(\.isFinite).map(Swift.abs).max() ?? 0, Double.leastNormalMagnitude)
  for (index, (g, w)) in zip(got, want).enumerated() {
    let same = w.isFinite ? Swift.abs(g - w) <= tolerance * scale : (g == w || (g.isNaN && w.isNaN))
    if !same {
      Issue.record("\(label): element \(index) is \(g), NumPy \(w) (scale \(scale))", sourceLocation: sourceLocation)
      return
    }
  }
}

/// Flips the sign of each column of `vectors` (the last axis indexes columns) so that its
/// largest entry has the sign of the same entry in `reference`: the singular and eigen
/// vectors LAPACK returns are unique only up to sign.
func signAligned<T: LinearAlgebraScalar>(_ vectors: NDArray<T>, to reference: NDArray<T>, columns: Int? = nil)
  -> NDArray<T>
{
  let n = vectors.shape[vectors.rank - 2], m = vectors.shape[vectors.rank - 1]
  var aligned = vectors.contiguousCopy()
  let want = reference.contiguousCopy().flatElements
  let count = vectors.count / Swift.max(n * m, 1)
  aligned.withUnsafeMutableBufferPointer { values in
    for matrix in 0..<count {
      let base = matrix * n * m
      for column in 0..<Swift.min(columns ?? m, m) {
        var pivot = 0
        for row in 0..<n where Swift.abs(want[base + row * m + column]) > Swift.abs(want[base + pivot * m + column]) {
          pivot = row
        }
        if n > 0 && (values[base + pivot * m + column] < 0) != (want[base + pivot * m + column] < 0) {
          for row in 0..<n { values[base + row * m + column] = -values[base + row * m + column] }
        }
      }
    }
  }
  return aligned
}

@Suite("LinearAlgebra")
struct LinearAlgebraTests {
  let cases = LinalgCases.shared

  @Test func goldenDataComesFromThePinnedNumPy() {
    #expect(cases.numpy == "2.4.6")
    #expect(cases.cases.matmul.count >= 30 && cases.cases.norm.count >= 60)
  }

  func run<T: LinearAlgebraScalar>(_ type: T.Type, _ dtype: String, _ body: (T.Type) throws -> Void) rethrows {
    try body(type)
  }

  func typedCases<C>(_ all: [C], dtype: String, _ array: (C) -> LinalgCases.Array) -> [C] {
    let chosen = all.filter { array($0).dtype == dtype }
    #expect(!chosen.isEmpty, "no \(dtype) cases")
    return chosen
  }

  // MARK: - Products

  func checkProducts<T: LinearAlgebraScalar>(_: T.Type, dtype: String) {
    for (i, c) in typedCases(cases.cases.matmul, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed(), b: NDArray<T> = c.b.typed()
      expectClose(a.matmul(b), c.expected.typed(), "matmul \(dtype) #\(i) \(a.shape)@\(b.shape)")
      expectClose(matmul(a, b), c.expected.typed(), "free matmul \(dtype) #\(i)")
    }
    for (i, c) in typedCases(cases.cases.dot, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed(), b: NDArray<T> = c.b.typed()
      expectClose(dot(a, b), c.expected.typed(), "dot \(dtype) #\(i) \(a.shape)·\(b.shape)")
    }
    for (i, c) in typedCases(cases.cases.tensordot, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed(), b: NDArray<T> = c.b.typed()
      let ours: NDArray<T>
      switch c.axes {
      case .count(let n): ours = tensordot(a, b, axes: n)
      case .pairs(let x, let y): ours = tensordot(a, b, axes: (x, y))
      }
      expectClose(ours, c.expected.typed(), "tensordot \(dtype) #\(i)")
    }
    for (i, c) in typedCases(cases.cases.outer, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed(), b: NDArray<T> = c.b.typed()
      expectClose(outer(a, b), c.expected.typed(), tolerance: 0, "outer \(dtype) #\(i)")
    }
  }

  @Test func matmulDotTensordotOuterMatchNumPyFloat64() { checkProducts(Double.self, dtype: "float64") }
  @Test func matmulDotTensordotOuterMatchNumPyFloat32() { checkProducts(Float.self, dtype: "float32") }

  /// The product by the definition, in Double: the reference for the layout tests.
  func naiveProduct(_ a: NDArray<Double>, _ b: NDArray<Double>) -> [Double] {
    var out: [Double] = []
    for i in 0..<a.shape[0] {
      for j in 0..<b.shape[1] {
        out.append((0..<a.shape[1]).reduce(0) { $0 + a[i, $1] * b[$1, j] })
      }
    }
    return out
  }

  @Test func matmulReadsStridedViewsAsNumPyDoes() {
    let a = NDArray<Double>.arange(0, 24).reshaped([4, 6])
    let everyOther = a[.all, .slice(start: nil, stop: nil, step: 2)]  // column stride 2: copied
    let transposed = NDArray<Double>.arange(0, 12).reshaped([4, 3]).transposed()  // BLAS Trans
    let reversed = a[.slice(start: nil, stop: nil, step: -1), .all]  // negative stride: copied
    #expect(everyOther.matmul(transposed).flatElements == naiveProduct(everyOther, transposed))
    #expect(
      transposed.matmul(reversed[.all, .range(0..<3)]).flatElements
        == naiveProduct(transposed, reversed[.all, .range(0..<3)]))
    #expect(reversed.transposed().matmul(a).flatElements == naiveProduct(reversed.transposed(), a))
    // A C-contiguous stack times one matrix (one tall gemm) equals the per-matrix products.
    let stack = NDArray<Double>.arange(0, 60).reshaped([2, 5, 6])
    let weights = NDArray<Double>.arange(0, 18).reshaped([6, 3])
    let tall = stack.matmul(weights)
    #expect(tall.shape == [2, 5, 3])
    for i in 0..<2 { #expect(tall[indices: [.at(i)]].flatElements == naiveProduct(stack[indices: [.at(i)]], weights)) }
    // Stride-0 batch (broadcast) operands.
    let b = NDArray<Double>.arange(0, 24).reshaped([6, 4])
    let stacked = a.broadcast(to: [3, 4, 6]).matmul(b)
    #expect(stacked.shape == [3, 4, 4])
    #expect(stacked[indices: [2]].flatElements == naiveProduct(a, b))
  }

  @Test func matmulIsBitReproducible() {
    let a = NDArray<Float>.random(shape: [300, 200], seed: 1)
    let b = NDArray<Float>.random(shape: [200, 250], seed: 2)
    #expect(a.matmul(b).flatElements == a.matmul(b).flatElements)
  }

  // MARK: - Decompositions

  func checkEigh<T: LinearAlgebraScalar>(_: T.Type, dtype: String) throws {
    for (i, c) in typedCases(cases.cases.eigh, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed()
      let (w, v) = try Linalg.eigh(a, upper: c.upper)
      expectClose(w, c.eigenvalues.typed(), "eigh values \(dtype) #\(i)")
      let wantVectors: NDArray<T> = c.eigenvectors.typed()
      // Eigenvectors to 1e-10 (f64) / 1e-4 (f32) after aligning their signs, scaled by
      // the matrix size (each is a unit vector computed through n reflections).
      let n = Double(Swift.max(a.shape.last ?? 1, 1))
      expectClose(
        signAligned(v, to: wantVectors), wantVectors, tolerance: parityTolerance(T.self) * n,
        "eigh vectors \(dtype) #\(i)")
      expectClose(try Linalg.eigvalsh(a, upper: c.upper), c.eigvalsh.typed(), "eigvalsh \(dtype) #\(i)")
    }
  }

  @Test func eighMatchesNumPyFloat64() throws { try checkEigh(Double.self, dtype: "float64") }
  @Test func eighMatchesNumPyFloat32() throws { try checkEigh(Float.self, dtype: "float32") }

  func checkSVD<T: LinearAlgebraScalar>(_: T.Type, dtype: String) throws {
    for (i, c) in typedCases(cases.cases.svd, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed()
      expectClose(try Linalg.svdvals(a), c.svdvals.typed(), "svdvals \(dtype) #\(i)")
      let k = Swift.min(a.shape[a.rank - 2], a.shape[a.rank - 1])
      for (full, want) in [(true, c.full), (false, c.reduced)] {
        let (u, s, vh) = try Linalg.svd(a, fullMatrices: full)
        let label = "svd(full: \(full)) \(dtype) #\(i) \(a.shape)"
        expectClose(s, want.s.typed(), label + " s")
        #expect(u.shape == want.u.shape && vh.shape == want.vh.shape, "\(label) shapes")
        // The first k singular vectors up to sign; reconstruction u[:, :k] s vh[:k] = a.
        let wantU: NDArray<T> = want.u.typed()
        let alignedU = signAligned(u, to: wantU, columns: k)
        let uK = alignedU[.ellipsis, .range(0..<k)], wantUK = wantU[.ellipsis, .range(0..<k)]
        let scaleTolerance = parityTolerance(T.self) * Double(Swift.max(k, 1)) * 10
        expectClose(uK.contiguousCopy(), wantUK.contiguousCopy(), tolerance: scaleTolerance, label + " u")
        let rebuilt = (u[.ellipsis, .range(0..<k)] * s.expandingDims(at: s.rank - 1))
          .matmul(vh[.ellipsis, .range(0..<k), .all])
        expectClose(rebuilt, a, tolerance: scaleTolerance, label + " u s vh")
      }
    }
  }

  @Test func svdMatchesNumPyFloat64() throws { try checkSVD(Double.self, dtype: "float64") }
  @Test func svdMatchesNumPyFloat32() throws { try checkSVD(Float.self, dtype: "float32") }

  func checkSolvers<T: LinearAlgebraScalar>(_: T.Type, dtype: String) throws {
    for (i, c) in typedCases(cases.cases.solve, dtype: dtype, \.a).enumerated() {
      expectClose(try Linalg.solve(c.a.typed(T.self), c.b.typed(T.self)), c.expected.typed(), "solve \(dtype) #\(i)")
    }
    for (i, c) in typedCases(cases.cases.inv, dtype: dtype, \.a).enumerated() {
      expectClose(try Linalg.inv(c.a.typed(T.self)), c.expected.typed(), "inv \(dtype) #\(i)")
    }
    for (i, c) in typedCases(cases.cases.cholesky, dtype: dtype, \.a).enumerated() {
      expectClose(try Linalg.cholesky(c.a.typed(T.self), upper: c.upper), c.expected.typed(), "cholesky \(dtype) #\(i)")
    }
    for (i, c) in typedCases(cases.cases.det, dtype: dtype, \.a).enumerated() {
      let a: NDArray<T> = c.a.typed()
      let (sign, logabsdet) = try Linalg.slogdet(a)
      expectClose(sign, c.sign.typed(), tolerance: 0, "slogdet sign \(dtype) #\(i)")
      expectClose(logabsdet, c.logabsdet.typed(), "slogdet log \(dtype) #\(i)")
      expectClose(try Linalg.det(a), c.det.typed(), "det \(dtype) #\(i)")
    }
  }

  @Test func solveInvCholeskyDetMatchNumPyFloat64() throws { try checkSolvers(Double.self, dtype: "float64") }
  @Test func solveInvCholeskyDetMatchNumPyFloat32() throws { try checkSolvers(Float.self, dtype: "float32") }

  func checkNorms<T: LinearAlgebraScalar>(_: T.Type, dtype: String) throws {
    for (i, c) in typedCases(cases.cases.norm, dtype: dtype, \.x).enumerated() {
      let x: NDArray<T> = c.x.typed()
      let ours: NDArray<T>
      switch c.ord {
      case "fro": ours = try Linalg.norm(x, ord: .frobenius, axes: c.axes, keepDims: c.keepdims)
      case "nuc": ours = try Linalg.norm(x, ord: .nuclear, axes: c.axes, keepDims: c.keepdims)
      case let number: ours = try Linalg.norm(x, ord: number.map { Double($0)! }, axes: c.axes, keepDims: c.keepdims)
      }
      expectClose(ours, c.expected.typed(), "norm \(dtype) #\(i) ord \(c.ord ?? "None") axes \(c.axes ?? [])")
    }
  }

  @Test func normMatchesNumPyFloat64() throws { try checkNorms(Double.self, dtype: "float64") }
  @Test func normMatchesNumPyFloat32() throws { try checkNorms(Float.self, dtype: "float32") }

  // MARK: - Errors

  @Test func refusalsThrowNumPysLinAlgErrorText() {
    #expect(cases.cases.errors.count >= 9)
    for c in cases.cases.errors {
      let a: NDArray<Double> = c.a.typed()
      do throws(LinearAlgebraError) {
        switch c.function {
        case "solve": _ = try Linalg.solve(a, NDArray<Double>(shape: [a.shape[0]], repeating: 1))
        case "inv": _ = try Linalg.inv(a)
        case "cholesky": _ = try Linalg.cholesky(a)
        case "eigh": _ = try Linalg.eigh(a)
        case "det": _ = try Linalg.det(a)
        case "svd": _ = try Linalg.svd(a)
        default: Issue.record("unknown function \(c.function)")
        }
        Issue.record("\(c.function) of \(a.shape) did not throw; NumPy: \(c.message)")
      } catch {
        #expect(error.description == c.message, "\(c.function) of \(a.shape)")
      }
    }
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity])
  func nonFiniteInputThrowsInsteadOfReturningGarbage(_ bad: Double) {
    var a = NDArray<Double>([4, 1, 1, 3], shape: [2, 2])
    a[1, 0] = bad
    let calls: [(String, () throws -> Void)] = [
      ("eigh", { _ = try Linalg.eigh(a) }), ("eigvalsh", { _ = try Linalg.eigvalsh(a) }),
      ("svd", { _ = try Linalg.svd(a) }), ("svdvals", { _ = try Linalg.svdvals(a) }),
      ("solve", { _ = try Linalg.solve(a, NDArray<Double>([1, 2])) }), ("inv", { _ = try Linalg.inv(a) }),
      ("cholesky", { _ = try Linalg.cholesky(a) }), ("det", { _ = try Linalg.det(a) }),
      ("slogdet", { _ = try Linalg.slogdet(a) }), ("norm 2", { _ = try Linalg.norm(a, ord: 2) }),
      ("norm nuc", { _ = try Linalg.norm(a, ord: .nuclear) }),
      ("solve b", { _ = try Linalg.solve(NDArray<Double>([4, 1, 1, 3], shape: [2, 2]), NDArray<Double>([1, bad])) }),
    ]
    for (name, call) in calls {
      #expect(throws: LinearAlgebraError.nonFinite, "\(name) of a matrix holding \(bad)") { try call() }
    }
    #expect(LinearAlgebraError.nonFinite.description == "Array must not contain infs or NaNs")
    // Norms that need no LAPACK propagate non-finite values as NumPy's do.
    #expect((try? Linalg.norm(a).item.isFinite) == false)
  }

  @Test func singularMatrixInABatchThrowsAndConvergenceErrorsHaveNumPysText() {
    var stack = NDArray<Float>(zeros: [2, 2, 2])
    stack[0, 0, 0] = 1; stack[0, 1, 1] = 1  // the second matrix is all zeros
    #expect(throws: LinearAlgebraError.singularMatrix) { try Linalg.inv(stack) }
    #expect(throws: LinearAlgebraError.singularMatrix) { try Linalg.solve(stack, NDArray<Float>([1, 1])) }
    #expect((try? Linalg.det(stack).flatElements) == [1, 0])
    #expect(LinearAlgebraError.svdDidNotConverge.description == "SVD did not converge")
    #expect(LinearAlgebraError.eigenvaluesDidNotConverge.description == "Eigenvalues did not converge")
  }

  @Test func badShapesAndOrdersThrowValueErrorsText() {
    let m = NDArray<Double>.arange(0, 6).reshaped([2, 3])
    #expect(throws: LinearAlgebraError.invalidArgument("Invalid norm order for matrices.")) {
      try Linalg.norm(m, ord: 3)
    }
    #expect(throws: LinearAlgebraError.invalidArgument("Improper number of dimensions to norm.")) {
      try Linalg.norm(m.reshaped([1, 2, 3]), ord: 2)
    }
    #expect(throws: LinearAlgebraError.invalidArgument("Invalid norm order 'nuc' for vectors")) {
      try Linalg.norm(NDArray<Double>([1, 2]), ord: .nuclear)
    }
    let square = NDArray<Double>([2, 0, 0, 2], shape: [2, 2])
    #expect(throws: LinearAlgebraError.self) { try Linalg.solve(square, NDArray<Double>([1, 2, 3])) }
  }
}

/// The code of the DocC article "Linear Algebra", checked (printed values as NumPy prints them).
@Test func linearAlgebraArticleWorks() throws {
  let a = NDArray<Double>([4, 1, 1, 3], shape: [2, 2])
  let b = NDArray<Double>([1, 2])
  #expect("\(a.matmul(b))" == "[6. 7.]")
  #expect("\(try Linalg.solve(a, b))" == "[0.09090909 0.63636364]")
  let (w, v) = try Linalg.eigh(a)
  #expect("\(w)" == "[2.38196601 4.61803399]")
  // a @ v[:, i] == w[i] * v[:, i]
  expectClose(a.matmul(v), v * w, "eigh definition")
  #expect(try Linalg.det(a).item == 11.000000000000002)
  #expect(try Linalg.norm(a).item == 5.196152422706632)
  #expect(try Linalg.norm(a, ord: 2).item == 4.618033988749895)
  #expect("\(try Linalg.cholesky(a))" == "[[2.        0.       ]\n [0.5       1.6583124]]")
  #expect("\(outer(NDArray<Double>([1, 2]), NDArray<Double>([3, 4, 5])))" == "[[ 3.  4.  5.]\n [ 6.  8. 10.]]")
  let batch = NDArray<Float>.random(shape: [2, 3, 4], seed: 1)
  let weights = NDArray<Float>.random(shape: [4, 2], seed: 2)
  #expect(batch.matmul(weights).shape == [2, 3, 2])
  #expect(throws: LinearAlgebraError.singularMatrix) { try Linalg.inv(NDArray<Double>([1, 2, 2, 4], shape: [2, 2])) }
  #expect("\(LinearAlgebraError.singularMatrix)" == "Singular matrix")
}

/// Sizes past LAPACK's small-matrix cut-offs (divide and conquer in syevd and gesdd starts
/// above 25), checked by the definitions rather than golden data.
@Suite("LinearAlgebra definitions at larger sizes")
struct LinearAlgebraDefinitionTests {
  @Test func eighOf120x120SatisfiesItsDefinition() throws {
    let m = NDArray<Double>.random(shape: [120, 120], in: -1..<1, seed: 7)
    let a = (m + m.transposed()) * 0.5
    let (w, v) = try Linalg.eigh(a)
    let values = w.flatElements
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "ascending")
    expectClose(a.matmul(v), v * w, tolerance: 1e-12, "a v = v diag(w)")
    expectClose(v.transposed().matmul(v), identity(120), tolerance: 1e-12, "v orthonormal")
    expectClose(try Linalg.eigvalsh(a), w, tolerance: 1e-12, "eigvalsh = eigh values")
  }

  @Test func svdOf90x60SatisfiesItsDefinition() throws {
    let a = NDArray<Float>.random(shape: [90, 60], in: -1..<1, seed: 8).astype(Double.self)
    let (u, s, vh) = try Linalg.svd(a, fullMatrices: false)
    #expect(u.shape == [90, 60] && s.shape == [60] && vh.shape == [60, 60])
    let values = s.flatElements
    #expect(zip(values, values.dropFirst()).allSatisfy { $0 >= $1 } && values.last! >= 0, "descending, ≥ 0")
    expectClose((u * s).matmul(vh), a, tolerance: 1e-12, "u diag(s) vh = a")
    expectClose(u.transposed().matmul(u), identity(60), tolerance: 1e-12, "u orthonormal columns")
    let (fullU, _, _) = try Linalg.svd(a)
    expectClose(fullU.transposed().matmul(fullU), identity(90), tolerance: 1e-12, "full u orthogonal")
    expectClose(try Linalg.svdvals(a), s, tolerance: 1e-12, "svdvals = svd values")
    expectClose(try Linalg.norm(a, ord: 2), NDArray(scalar: values[0]), tolerance: 1e-12, "2-norm")
  }

  @Test func solveInvAndCholeskyOf100x100AgreeWithTheirDefinitions() throws {
    let m = NDArray<Double>.random(shape: [100, 100], in: -1..<1, seed: 9)
    let spd = m.matmul(m.transposed()) + identity(100) * 100
    let b = NDArray<Double>.random(shape: [100, 3], seed: 10)
    expectClose(spd.matmul(try Linalg.solve(spd, b)), b, tolerance: 1e-12, "a x = b")
    expectClose(spd.matmul(try Linalg.inv(spd)), identity(100), tolerance: 1e-12, "a inv(a) = I")
    let l = try Linalg.cholesky(spd)
    expectClose(l.matmul(l.transposed()), spd, tolerance: 1e-12, "l lᵀ = a")
    let (sign, logabsdet) = try Linalg.slogdet(spd)
    // det(a) = det(l)² = (∏ l_ii)²
    let diagonalLogs = (0..<100).map { Foundation.log(l[$0, $0]) }.reduce(0, +)
    #expect(sign.item == 1)
    expectClose(logabsdet, NDArray(scalar: 2 * diagonalLogs), tolerance: 1e-12, "slogdet from Cholesky")
  }

  func identity(_ n: Int) -> NDArray<Double> {
    var eye = NDArray<Double>(zeros: [n, n])
    for i in 0..<n { eye[i, i] = 1 }
    return eye
  }
}

@Suite struct SyrkTests {
  @Test func syrkIsTheTransposeProduct() {
    var generator = SplitMix64(seed: 9)
    let a = NDArray<Double>((0..<(37 * 11)).map { _ in Double(generator.next() >> 40) / 1e4 }, shape: [37, 11])
    let full = Linalg.syrk(a)
    let expected = a.transposed().matmul(a)
    #expect(full.shape == [11, 11])
    for i in 0..<11 {
      for j in 0..<11 {
        #expect(abs(full[item: i, j] - expected[item: i, j]) <= 1e-12 * abs(expected[item: i, j]))
        #expect(full[item: i, j] == full[item: j, i])
      }
    }
    let upper = Linalg.syrk(a.astype(Float.self), upperOnly: true)
    for i in 0..<11 {
      for j in 0..<i { #expect(upper[item: i, j] == 0) }
    }
    #expect(Linalg.syrk(NDArray<Float>(zeros: [0, 4])).flatElements == [Float](repeating: 0, count: 16))
  }

  /// `eigh(consuming:)` (`?syevr`) gives `eigh`'s (`?syevd`, NumPy's) eigenvalues, and
  /// eigenvectors that satisfy `a·v = λ·v` and are orthonormal.
  @Test func eighConsumingAgreesWithEigh() throws {
    let m = NDArray<Double>.random(shape: [60, 60], seed: 4)
    let a = (m + m.transposed()) * 0.5
    let reference = try Linalg.eigh(a)
    let (values, vectors) = try Linalg.eigh(consuming: a)
    for i in 0..<60 { #expect(abs(values[item: i] - reference.eigenvalues[item: i]) <= 1e-12) }
    let residual = a.matmul(vectors) - vectors * values
    #expect(residual.flatElements.allSatisfy { abs($0) <= 1e-12 })
    let identity = vectors.transposed().matmul(vectors)
    for i in 0..<60 {
      for j in 0..<60 { #expect(abs(identity[item: i, j] - (i == j ? 1 : 0)) <= 1e-12) }
    }
    #expect(throws: LinearAlgebraError.self) { try Linalg.eigh(consuming: NDArray<Double>(zeros: [2, 3])) }
  }

  /// `symmetricEigen(overwriting:…)` (dsytrd, MRRR in runs, blocked back-transformation) at n = 300
  /// (two full blocks of 128 reflectors and a partial one), 2 and 1: `eigh`'s (`?syevd`,
  /// NumPy's) eigenvalues, `a·v = λ·v`, orthonormal rows; only the row-major upper triangle
  /// is read (the lower one holds garbage).
  @Test(arguments: [300, 2, 1])
  func symmetricEigenInPlaceAgreesWithEigh(n: Int) throws {
    let m = NDArray<Double>.random(shape: [n, n], seed: 9)
    let a = (m + m.transposed()) * 0.5
    let reference = try Linalg.eigh(a)
    var storage = a.flatElements
    for i in 0..<n { for j in 0..<i { storage[i * n + j] = 7 } }
    var values = [Double](repeating: 0, count: n), rows = [Double](repeating: 0, count: n * n)
    var stages: [String] = []
    try storage.withUnsafeMutableBufferPointer { s in
      try values.withUnsafeMutableBufferPointer { w in
        try rows.withUnsafeMutableBufferPointer { z in
          // Two threads even at this size: the reflectors are packed in parallel parts.
          try _Parallel.$threadCountOverride.withValue(2) {
            try Linalg.symmetricEigen(overwriting: s, dimension: n, eigenvalues: w, eigenvectors: z) {
              stages.append($0)
            }
          }
        }
      }
    }
    #expect(stages.count == 3)
    for i in 0..<n { #expect(abs(values[i] - reference.eigenvalues[item: i]) <= 1e-12 * Double(n)) }
    let vectors = NDArray(rows, shape: [n, n]).transposed()  // columns are the eigenvectors
    let residual = a.matmul(vectors) - vectors * NDArray(values)
    #expect(residual.flatElements.allSatisfy { abs($0) <= 1e-12 * Double(n) })
    let identity = vectors.transposed().matmul(vectors)
    for i in 0..<n {
      for j in 0..<n { #expect(abs(identity[item: i, j] - (i == j ? 1 : 0)) <= 1e-12 * Double(n)) }
    }
    var bad = a.flatElements
    bad[n - 1] = .nan
    #expect(throws: LinearAlgebraError.nonFinite) {
      try bad.withUnsafeMutableBufferPointer { s in
        try values.withUnsafeMutableBufferPointer { w in
          try rows.withUnsafeMutableBufferPointer { z in
            try Linalg.symmetricEigen(overwriting: s, dimension: n, eigenvalues: w, eigenvectors: z)
          }
        }
      }
    }
  }

  /// The back-transformation skips the columns a block of reflectors cannot change: on a
  /// block-diagonal matrix (T splits, so a third of the eigenvectors are zero in the lower rows)
  /// it does less than the full work, and `Q·Z` is still A's eigenvectors, to the same
  /// tolerance as `eigh`'s.
  @Test func backTransformationSkipsColumnsThatAreZeroBelow() throws {
    let n = 300, half = 100
    let m = NDArray<Double>.random(shape: [n, n], seed: 4)
    var a = ((m + m.transposed()) * 0.5).flatElements
    // Two blocks, the second's eigenvalues all above the first's: sorted, the first 100
    // eigenvectors are zero in rows 100…, and blocks of reflectors there skip them.
    for i in 0..<n { for j in 0..<n where (i < half) != (j < half) { a[i * n + j] = 0 } }
    for i in half..<n { a[i * n + i] += Double(n) }
    let matrix = NDArray(a, shape: [n, n])
    var values = [Double](repeating: 0, count: n), rows = [Double](repeating: 0, count: n * n)
    var fraction = 1.0
    try a.withUnsafeMutableBufferPointer { s in
      let reduction = try Linalg.tridiagonalReduction(overwriting: s, dimension: n)
      try values.withUnsafeMutableBufferPointer { w in
        try rows.withUnsafeMutableBufferPointer { z in
          try reduction.tridiagonalEigen(eigenvalues: w, eigenvectors: z, clusterGap: 1e-3)
          fraction = reduction.applyReflectors(to: z.baseAddress!)
        }
      }
    }
    #expect(fraction < 0.9, "the back-transformation did \(fraction) of the full work")
    let vectors = NDArray(rows, shape: [n, n]).transposed()
    let residual = matrix.matmul(vectors) - vectors * NDArray(values)
    #expect(residual.flatElements.allSatisfy { abs($0) <= 1e-12 * Double(n) })
    let identity = vectors.transposed().matmul(vectors)
    for i in 0..<n {
      for j in 0..<n { #expect(abs(identity[item: i, j] - (i == j ? 1 : 0)) <= 1e-12 * Double(n)) }
    }
  }

  /// `replaceWithColumnGram` is `m.T @ m` (three row blocks of 128 and a partial one at
  /// n = 300; one row at n = 1), exactly symmetric, with the same bits on 1 and 2 threads
  /// (its transposition and mirroring run in parallel).
  @Test(arguments: [300, 1])
  func columnGramInPlaceIsTransposeTimesMatrix(n: Int) {
    let m = NDArray<Double>.random(shape: [n, n], seed: 5) - 0.5
    let expected = m.transposed().matmul(m)
    var storage = m.flatElements, serial = m.flatElements
    _Parallel.$threadCountOverride.withValue(2) {
      storage.withUnsafeMutableBufferPointer { Linalg.replaceWithColumnGram($0, dimension: n) }
    }
    _Parallel.$threadCountOverride.withValue(1) {
      serial.withUnsafeMutableBufferPointer { Linalg.replaceWithColumnGram($0, dimension: n) }
    }
    #expect(storage == serial)
    for i in 0..<n {
      for j in 0..<n {
        #expect(abs(storage[i * n + j] - expected[item: i, j]) <= 1e-13 * Double(n))
        #expect(storage[i * n + j] == storage[j * n + i])
      }
    }
  }
}
