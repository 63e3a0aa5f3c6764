import ArgumentParser
import ArrayTools
import Foundation
import NPYIO

/// `normtool compare A B`: the command-line `numpy.testing.assert_allclose(A, B)`, over
/// `.npy` files, `.npz` members and dataset folders, in bounded memory (docs/design.md §5).
///
/// The NumPy equivalent is `np.testing.assert_allclose(np.load(A), np.load(B), rtol=rtol,
/// atol=atol, equal_nan=not nan_differ)`; the work is ArrayTools' `ContainerComparer`.
/// Exit status 0 when equal, 1 when different, 2 when the comparison could not be made.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare arrays as numpy.testing.assert_allclose does (exit 0 equal, 1 different, 2 error).",
    discussion: """
      A is the actual array, B the desired one (the reference): a value passes when \
      |A - B| <= atol + rtol * |B|, computed in numpy.isclose's dtype. NaNs in the same places \
      are equal (unless --nan-differ); infinities must match in place and sign. Shapes must be \
      equal (a 0-d array is broadcast, as numpy does). The report is numpy's: mismatched count \
      and percentage, the first mismatches, the maximum absolute and relative differences \
      (with where they are). A and B may each be an .npy, an .npz (compared member by member) \
      or a dataset folder of .npy files (normtool convert's directory output; its other files, \
      such as stats.json, are not compared); --member picks one member. String members (classes, files) must be equal. Both arrays are streamed in \
      chunks (memory-mapped .npy), so arrays larger than memory compare in bounded memory.
      --json prints one object: equal, rtol, atol, equal_nan, exact, members (one object per \
      member: name, kind, equal, outcome, actual, desired, shapes, dtypes, mismatched, total, \
      percent, max_abs_diff, max_abs_index, max_rel_diff, max_rel_index, mismatches, message).
      """
  )

  @Argument(help: "The actual array: .npy, .npz or dataset folder.")
  var actual: String

  @Argument(help: "The desired (reference) array: .npy, .npz or dataset folder.")
  var desired: String

  @Option(help: "Relative tolerance (numpy's default).")
  var rtol: Double = 1e-7

  @Option(help: "Absolute tolerance (numpy's default).")
  var atol: Double = 0

  @Flag(help: "NaNs never compare equal (numpy's equal_nan=False).")
  var nanDiffer = false

  @Flag(help: "Values must be equal and dtypes the same (rtol=0, atol=0, strict=True).")
  var exact = false

  @Option(help: "Compare only this member of an .npz or dataset folder.")
  var member: String?

  @Option(name: .customLong("show"), help: "How many mismatches to list per member.")
  var listed = 5

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func validate() throws {
    if !(rtol.isFinite && rtol >= 0) { throw ValidationError("--rtol \(rtol): expected a finite number >= 0") }
    if !(atol.isFinite && atol >= 0) { throw ValidationError("--atol \(atol): expected a finite number >= 0") }
    if exact && (rtol != 1e-7 || atol != 0) {
      throw ValidationError("--exact sets rtol and atol to 0; drop --rtol/--atol")
    }
    if !(0...10_000).contains(listed) { throw ValidationError("--show \(listed): expected a count from 0 to 10000") }
  }

  func run() throws {
    let options = ArrayComparisonOptions(rtol: rtol, atol: atol, equalNaN: !nanDiffer, exact: exact, listed: listed)
    let results: [MemberComparison]
    do {
      let a = try ArrayContainer(URL(fileURLWithPath: actual))
      let b = try ArrayContainer(URL(fileURLWithPath: desired))
      results = try ContainerComparer.compare(a, b, member: member, options: options)
    } catch {
      // Anything but a verdict is exit status 2, as cmp and diff do.
      printError("normtool compare: \(CommandFailure(String(describing: error)).description)")
      throw ExitCode(2)
    }
    let equal = results.allSatisfy(\.isEqual)
    if json {
      print(ComparisonOutput.json(results, options: options, equal: equal).rendered)
    } else {
      print(ComparisonOutput.text(results, options: options, actual: actual, desired: desired), terminator: "")
    }
    if !equal { throw ExitCode(1) }
  }
}
