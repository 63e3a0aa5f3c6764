/// A pointer that may cross into a `@Sendable` release closure; the closure is its only
/// user once the array that borrowed it is gone.
struct SendablePointer: @unchecked Sendable {
  let raw: UnsafeMutableRawPointer
}
