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
    for input in Corpus.files(at: Corpus.regressionFolder(target)) {
      let bytes = try [UInt8](Data(contentsOf: input))
      let outcome = Harness.run(target, bytes)
      #expect(outcome.message != nil, "regression input \(input.lastPathComponent) was accepted")
    }
  }
}

import Foundation
