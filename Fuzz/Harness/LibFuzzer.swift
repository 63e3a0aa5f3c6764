#if FUZZING
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's entry for programs that keep their own `main` (SwiftPM executables do: their
/// `main` is the `@main` type's): parses libFuzzer's flags and calls `callback` per input.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer on one target with this process's command line (only in `-DFUZZING`
/// builds made by `Fuzz/run.sh`). This module provides no stable Swift API.
public enum LibFuzzer {
  /// Hands the process to libFuzzer's driver, which calls `testOneInput` (the target's
  /// `LLVMFuzzerTestOneInput`) per input; exits with its status.
  public static func run(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
  }
}
#endif
