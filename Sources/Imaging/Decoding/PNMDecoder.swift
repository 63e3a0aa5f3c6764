import CImageCodecs

/// Netpbm bitmaps, graymaps and pixmaps (P1–P6), decoded as Pillow 13's `PpmImagePlugin`
/// reads them.
///
/// Pillow's rules, which this follows step by step:
/// - The header is the magic, then whitespace-separated tokens of at most 10 bytes (width,
///   height, and maxval except for bitmaps); `#` starts a comment up to CR or LF; the single
///   whitespace byte after the last token ends the header.
/// - P4 is 1 bit per pixel, rows padded to a byte, 1 = black; P1 is `0`/`1` characters with
///   optional whitespace, 1 = black.
/// - Maxval 255 is read as is. Any other maxval is rescaled per sample to
///   `round(v / maxval · 255)` (Python's round, half to even), or for graymaps with maxval
///   above 255 to `round(v / maxval · 65535)` — Pillow's mode "I" — which `convert('L')` then
///   clips at 255; binary samples above maxval are clipped. A 16-bit graymap with maxval
///   65535 keeps its values (Pillow's "I;16B"), also clipped by `convert`.
/// - ASCII samples above maxval, negative ones, non-numbers and too few samples are errors;
///   binary data that ends early is truncation.
/// Pillow's extensions (`Pf` floats, `P0CMYK`, `PyP`, `PyRGBA`, `PyCMYK`) are refused as
/// unsupported.
enum PNMDecoder {
  private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]
  /// Pillow's `ImageFile.SAFEBLOCK`: the ASCII formats are read, and comments removed, in
  /// blocks of this size.
  private static let blockSize = 1 << 20

  private enum Kind { case bitmap, graymap, pixmap }

  /// With `keepSixteenBit` (`--depth 16`), pixmaps with maxval above 255 keep 16-bit
  /// samples too, rescaled to 0…65535 as graymaps are (`round(v / maxval · 65535)`).
  static func decode(_ bytes: UnsafeRawBufferPointer, keepSixteenBit: Bool = false) throws -> cic_image {
    var position = 0
    var magic: [UInt8] = []
    for _ in 0..<6 {
      guard position < bytes.count else { break }
      let c = bytes[position]
      position += 1
      if whitespace.contains(c) { break }
      magic.append(c)
    }
    let magicText = String(decoding: magic, as: UTF8.self)
    let kind: Kind, plain: Bool
    switch magicText {
    case "P1": (kind, plain) = (.bitmap, true)
    case "P2": (kind, plain) = (.graymap, true)
    case "P3": (kind, plain) = (.pixmap, true)
    case "P4": (kind, plain) = (.bitmap, false)
    case "P5": (kind, plain) = (.graymap, false)
    case "P6": (kind, plain) = (.pixmap, false)
    case "Pf", "P0CMYK", "PyP", "PyRGBA", "PyCMYK":
      throw NativeDecodeFailure.unsupported("the \(magicText) extension of the Netpbm format is not read")
    default:
      throw NativeDecodeFailure.corrupt("not a PPM file (magic \(magicText.debugDescription))")
    }

    func token(_ what: String) throws -> Int {
      var token: [UInt8] = []
      while token.count <= 10 {
        guard position < bytes.count else { break }
        let c = bytes[position]
        position += 1
        if whitespace.contains(c) {
          if token.isEmpty { continue }
          break
        } else if c == UInt8(ascii: "#") {
          while position < bytes.count {
            let d = bytes[position]
            position += 1
            if d == 0x0D || d == 0x0A { break }
          }
          continue
        }
        token.append(c)
      }
      if token.isEmpty {
        throw NativeDecodeFailure.truncated("reached the end of the file while reading the \(what)")
      }
      if token.count > 10 {
        throw NativeDecodeFailure.corrupt("token too long in the file header reading the \(what)")
      }
      guard let value = pythonInt(token) else {
        throw NativeDecodeFailure.corrupt(
          "the \(what) is not a number: \(String(decoding: token, as: UTF8.self).debugDescription)")
      }
      return value
    }

    let width = try token("width"), height = try token("height")
    guard width >= 0, height >= 0 else {
      throw NativeDecodeFailure.corrupt("negative image size \(width)x\(height)")
    }
    var maxval = 1
    if kind != .bitmap {
      maxval = try token("maxval")
      guard maxval > 0 && maxval < 65536 else {
        throw NativeDecodeFailure.corrupt("maxval must be greater than 0 and less than 65536, found \(maxval)")
      }
    }
    try NativeDecoding.checkPixelLimit(width: width, height: height)
    let bands = kind == .pixmap ? 3 : 1
    let samples = width * height * bands
    // Graymaps above 8 bits become Pillow's 32-bit mode "I", scaled to 0…65535: kept as
    // 16-bit gray (convert clips it at 255).
    let wide = maxval > 255 && (kind == .graymap || (kind == .pixmap && keepSixteenBit))
    let outMax = wide ? 65535 : 255
    let layout =
      kind == .pixmap
      ? (wide ? CIC_LAYOUT_RGB16 : CIC_LAYOUT_RGB8) : (wide ? CIC_LAYOUT_GRAY16 : CIC_LAYOUT_GRAY8)
    let data = UnsafeRawBufferPointer(rebasing: bytes[position...])

    // Refuse sizes the data cannot hold before allocating.
    let bytesPerSample = maxval > 255 ? 2 : 1
    let minimum = plain ? samples : (kind == .bitmap ? height * ((width + 7) / 8) : samples * bytesPerSample)
    guard data.count >= minimum else {
      let what = plain ? "characters" : "bytes"
      throw NativeDecodeFailure.truncated(
        "\(width)x\(height) pixels need at least \(minimum) \(what) of pixel data, the file has \(data.count)")
    }

    var image = try NativeDecoding.makeImage(
      width: width, height: height, layout: layout,
      bytesPerPixel: wide ? 2 * bands : bands
    ) { out in
      func store(_ i: Int, _ value: Int) {
        if wide {
          UnsafeMutableRawPointer(out).storeBytes(of: UInt16(value), toByteOffset: 2 * i, as: UInt16.self)
        } else {
          out[i] = UInt8(value)
        }
      }
      func scaled(_ v: Int) -> Int {
        (Double(v) / Double(maxval) * Double(outMax)).rounded(.toNearestOrEven).clampedInt(max: outMax)
      }
      switch (kind, plain) {
      case (.bitmap, false):
        let rowBytes = (width + 7) / 8
        for y in 0..<height {
          for x in 0..<width {
            let bit = (data[y * rowBytes + (x >> 3)] >> (7 - UInt8(x & 7))) & 1
            out[y * width + x] = bit == 1 ? 0 : 255
          }
        }
      case (.bitmap, true):
        var filled = 0
        try forEachBlock(data) { block in
          for c in block where !whitespace.contains(c) {
            guard c == UInt8(ascii: "0") || c == UInt8(ascii: "1") else {
              throw NativeDecodeFailure.corrupt("invalid character \(String(format: c)) in a plain PBM")
            }
            if filled < samples {
              out[filled] = c == UInt8(ascii: "1") ? 0 : 255
              filled += 1
            }
          }
          return filled < samples
        }
        if filled < samples {
          throw NativeDecodeFailure.truncated("not enough image data: \(filled) of \(samples) pixels")
        }
      case (_, true):
        var filled = 0
        var halfToken: [UInt8] = []
        try forEachBlock(data, flushAtEnd: { !halfToken.isEmpty }) { block in
          let text = halfToken + block
          halfToken = []
          var tokens = text.split(whereSeparator: { whitespace.contains($0) })
          if let last = text.last, !whitespace.contains(last), let tail = tokens.popLast() {
            halfToken = Array(tail)
            if halfToken.count > 10 { throw NativeDecodeFailure.corrupt("token too long in the pixel data") }
          }
          for token in tokens {
            guard token.count <= 10 else { throw NativeDecodeFailure.corrupt("token too long in the pixel data") }
            guard let value = pythonInt(Array(token)) else {
              throw NativeDecodeFailure.corrupt(
                "invalid sample \(String(decoding: token, as: UTF8.self).debugDescription)")
            }
            guard value >= 0 else { throw NativeDecodeFailure.corrupt("sample value is negative: \(value)") }
            guard value <= maxval else {
              throw NativeDecodeFailure.corrupt("sample value \(value) is above maxval \(maxval)")
            }
            store(filled, scaled(value))
            filled += 1
            if filled == samples { return false }
          }
          return true
        }
        if filled < samples {
          throw NativeDecodeFailure.truncated("not enough image data: \(filled) of \(samples) samples")
        }
      default:
        if maxval == 255 && !wide {  // the samples as they are: one copy
          if samples > 0, let source = data.baseAddress {
            UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: samples)
          }
        } else if maxval == 255 || (wide && maxval == 65535) {
          for i in 0..<samples {
            store(i, bytesPerSample == 1 ? Int(data[i]) : Int(data[2 * i]) << 8 | Int(data[2 * i + 1]))
          }
        } else {
          for i in 0..<samples {
            let v = bytesPerSample == 1 ? Int(data[i]) : Int(data[2 * i]) << 8 | Int(data[2 * i + 1])
            store(i, scaled(v))
          }
        }
      }
    }
    image.stored_bits = maxval > 255 ? 16 : 8
    return image
  }

  /// Python's `int(bytes)` for what a 10-byte token can hold: an optional sign, then
  /// decimal digits, single underscores allowed between digits.
  static func pythonInt(_ token: [UInt8]) -> Int? {
    var digits = token[...]
    var negative = false
    if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      negative = first == UInt8(ascii: "-")
      digits = digits.dropFirst()
    }
    guard let first = digits.first, let last = digits.last,
      first != UInt8(ascii: "_"), last != UInt8(ascii: "_")
    else { return nil }
    var value = 0
    var previousUnderscore = false
    for c in digits {
      if c == UInt8(ascii: "_") {
        if previousUnderscore { return nil }
        previousUnderscore = true
        continue
      }
      previousUnderscore = false
      guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(c - UInt8(ascii: "0"))
    }
    return negative ? -value : value
  }

  /// Pillow's `PpmPlainDecoder` block loop: the data in blocks of `blockSize` bytes, each
  /// with its comments removed (a comment runs to the first CR or LF, possibly into later
  /// blocks). `body` returns whether it wants more; after the last block, one block of a
  /// single space is passed when `flushAtEnd` says a half token is pending.
  private static func forEachBlock(
    _ data: UnsafeRawBufferPointer, flushAtEnd: () -> Bool = { false },
    _ body: ([UInt8]) throws -> Bool
  ) throws {
    var position = 0
    var commentSpans = false
    while true {
      var block: [UInt8]
      if position < data.count {
        let end = min(data.count, position + blockSize)
        block = Array(data[position..<end])
        position = end
      } else if flushAtEnd() {
        block = [0x20]
      } else {
        return
      }
      if commentSpans {
        while !block.isEmpty {
          if let end = block.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            block = Array(block[(end + 1)...])
            break
          }
          guard position < data.count else { block = []; break }
          let next = min(data.count, position + blockSize)
          block = Array(data[position..<next])
          position = next
        }
      }
      commentSpans = false
      while let start = block.firstIndex(of: UInt8(ascii: "#")) {
        if let end = block[start...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
          block.removeSubrange(start...end)
        } else {
          block.removeSubrange(start...)
          commentSpans = true
          break
        }
      }
      if try !body(block) { return }
    }
  }
}

extension String {
  fileprivate init(format byte: UInt8) {
    self = byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "0x" + String(byte, radix: 16)
  }
}

extension Double {
  /// The value as an Int in 0…max (callers pass already-rounded values).
  fileprivate func clampedInt(max: Int) -> Int { Swift.min(Swift.max(0, Int(self)), max) }
}
