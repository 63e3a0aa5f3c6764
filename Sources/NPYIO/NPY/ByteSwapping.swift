/// Reverses the bytes of each `unitSize`-byte unit in place (2, 4 or 8 bytes), turning
/// big-endian data little-endian and back. Units of 1 byte are left alone.
func swapBytes(_ buffer: UnsafeMutableRawBufferPointer, unitSize: Int) {
  guard let base = buffer.baseAddress else { return }
  let units = buffer.count / max(unitSize, 1)
  switch unitSize {
  case 2:
    for i in 0..<units {
      let p = base + 2 * i
      p.storeBytes(of: p.loadUnaligned(as: UInt16.self).byteSwapped, as: UInt16.self)
    }
  case 4:
    for i in 0..<units {
      let p = base + 4 * i
      p.storeBytes(of: p.loadUnaligned(as: UInt32.self).byteSwapped, as: UInt32.self)
    }
  case 8:
    for i in 0..<units {
      let p = base + 8 * i
      p.storeBytes(of: p.loadUnaligned(as: UInt64.self).byteSwapped, as: UInt64.self)
    }
  default:
    break
  }
}

/// Copies `source` into `destination` (same size) reversing each `unitSize`-byte unit.
func copySwappingBytes(
  from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer, unitSize: Int
) {
  destination.copyMemory(from: source)
  swapBytes(destination, unitSize: unitSize)
}
