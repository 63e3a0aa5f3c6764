import Foundation
import HostileInputHarness
import Testing

/// Every seed and every input fuzzing ever found is fed to its parser again: no crash, and
/// each rejection is a one-line message naming the file (the harness traps otherwise).
@Suite struct CorpusReplayTests {
  @Test(arguments: FuzzTarget.allCases)
  func seedsAreAcceptedByTheirParser(_ target: FuzzTarget) throws {
    let seeds = Corpus.files(at: Corpus.seedFolder(target))
    #expect(seeds.count >= 5, "expected a seed corpus under \(Corpus.seedFolder(target).path)")
    for seed in seeds {
      let bytes = try [UInt8](Data(contentsOf: seed))
      #expect(Harness.run(target, bytes) == .accepted, "seed \(seed.lastPathComponent) was rejected")
    }
  }

  @Test(arguments: FuzzTarget.allCases)
  func regressionInputsAreRejectedWithAMessage(_ target: FuzzTarget) throws {
    // Every target has regression inputs: a missing or empty folder must fail, not pass
    // with nothing checked.
    let inputs = Corpus.files(at: Corpus.regressionFolder(target))
    try #require(!inputs.isEmpty, "no regression inputs under \(Corpus.regressionFolder(target).path)")
    for input in inputs {
      let bytes = try [UInt8](Data(contentsOf: input))
      let outcome = Harness.run(target, bytes)
      #expect(outcome.message != nil, "regression input \(input.lastPathComponent) was accepted")
    }
  }
}
