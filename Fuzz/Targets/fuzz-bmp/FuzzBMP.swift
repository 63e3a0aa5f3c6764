import HostileInputHarness

/// `fuzz-bmp`: built by Fuzz/run.sh with -DFUZZING and -sanitize=fuzzer,address it is a
/// libFuzzer binary (libFuzzer's driver, flags and corpus folders); a plain `swift build`
/// makes it replay the corpus and run seeded mutations (see MutationRunner).
@main
struct FuzzBMP {
  static func main() {
    #if FUZZING
    LibFuzzer.run(fuzzTestOneInput)
    #else
    MutationRunner.main(target: .bmp)
    #endif
  }
}

#if FUZZING
/// libFuzzer's per-input entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  Harness.run(.bmp, UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count))
  return 0
}
#endif
