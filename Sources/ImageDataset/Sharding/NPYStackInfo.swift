import Foundation

/// The `info` file of a Dask "npy stack" (`OUT/x/info` beside `OUT/x/0.npy` …), which
/// `dask.array.from_npy_stack(OUT/x)` reads with `pickle.load`: the dict
/// `{'chunks': ((rows, …), (H,), (W,), (C,)), 'dtype': '<f4', 'axis': 0}` that
/// `dask.array.to_npy_stack` writes.
///
/// It is written as a protocol-0 pickle of plain values only (a dict, tuples, ints and
/// strings; the dtype as its string), so it also loads under a restricted unpickler that
/// allows no globals at all.
public struct NPYStackInfo: Sendable, Equatable {
  /// The chunk sizes along every axis: the rows of each file on axis 0, the whole extent
  /// on the others.
  public var chunks: [[Int]]
  /// The dtype string (`np.dtype(...).str`), for example `<f4`.
  public var dtype: String
  /// The axis the files are stacked along.
  public var axis: Int

  /// The pickle's bytes (`pickle.dumps(info, protocol=0)` without memo entries).
  public var pickled: Data {
    var text = "(d"
    text += string("chunks")
    text += "(" + chunks.map { "(" + $0.map { "I\($0)\n" }.joined() + "t" }.joined() + "t"
    text += "s" + string("dtype") + string(dtype) + "s"
    text += string("axis") + "I\(axis)\n" + "s."
    return Data(text.utf8)
  }

  /// A protocol-0 `UNICODE` opcode: `V`, the text (raw-unicode-escape), newline.
  private func string(_ value: String) -> String {
    var escaped = ""
    for scalar in value.unicodeScalars {
      switch scalar.value {
      case 0x5C, 0x0A, 0x0D, 0x00, 0x80...:
        escaped +=
          scalar.value > 0xFFFF ? String(format: "\\U%08x", scalar.value) : String(format: "\\u%04x", scalar.value)
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return "V" + escaped + "\n"
  }
}
