import HostileInputHarness

// Built by Fuzz/run.sh with -DFUZZING -sanitize=fuzzer,address: libFuzzer supplies main()
// and calls this for every input it generates.
#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  Harness.run(.npz, UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count))
  return 0
}
#else
/// A plain `swift build`: replays the corpus and runs seeded mutations (see MutationRunner).
@main
struct FuzzNPZ {
  static func main() { MutationRunner.main(target: .npz) }
}
#endif
