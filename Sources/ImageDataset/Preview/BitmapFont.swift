/// A 5×7 bitmap font of printable ASCII (32…126), drawn for normtool's tile labels; any
/// other character draws as `?`.
///
/// Each glyph is 35 bits, row by row from the top, the leftmost pixel of a row in its
/// highest bit (bit 34 is the top-left pixel). Characters advance by 6 pixels (one blank
/// column). The Pillow equivalent is `ImageDraw.text` with `ImageFont.load_default()`.
public enum BitmapFont {
  /// Pixels across one glyph.
  public static let glyphWidth = 5
  /// Pixels down one glyph.
  public static let glyphHeight = 7
  /// Pixels from one character to the next.
  public static let advance = 6

  /// The glyphs of code points 32…126 in order.
  static let glyphs: [UInt64] = [
    0x0_0000_0000,  // space
    0x1_0842_1004,  // "!"
    0x2_9400_0000,  // "\""
    0x2_95F5_7D4A,  // "#"
    0x1_1F47_17C4,  // "$"
    0x6_3222_2263,  // "%"
    0x3_2544_564D,  // "&"
    0x1_0800_0000,  // "'"
    0x0_8884_2082,  // "("
    0x2_0821_0888,  // ")"
    0x0_0957_5480,  // "*"
    0x0_084F_9080,  // "+"
    0x0_0000_1888,  // ","
    0x0_000F_8000,  // "-"
    0x0_0000_018C,  // "."
    0x0_0222_2200,  // "/"
    0x3_A33A_E62E,  // "0"
    0x1_1842_108E,  // "1"
    0x3_A211_111F,  // "2"
    0x7_C441_062E,  // "3"
    0x0_8CA9_7C42,  // "4"
    0x7_E1E0_862E,  // "5"
    0x1_910F_462E,  // "6"
    0x7_C222_2108,  // "7"
    0x3_A317_462E,  // "8"
    0x3_A317_844C,  // "9"
    0x0_18C0_3180,  // ":"
    0x0_18C0_3088,  // ";"
    0x0_8888_2082,  // "<"
    0x0_01F0_7C00,  // "="
    0x2_0820_8888,  // ">"
    0x3_A211_1004,  // "?"
    0x3_A216_D6AE,  // "@"
    0x3_A31F_C631,  // "A"
    0x7_A31F_463E,  // "B"
    0x3_A308_422E,  // "C"
    0x7_2518_C65C,  // "D"
    0x7_E10F_421F,  // "E"
    0x7_E10F_4210,  // "F"
    0x3_A30B_C62F,  // "G"
    0x4_631F_C631,  // "H"
    0x3_8842_108E,  // "I"
    0x1_C421_0A4C,  // "J"
    0x4_654C_5251,  // "K"
    0x4_2108_421F,  // "L"
    0x4_775A_C631,  // "M"
    0x4_639A_CE31,  // "N"
    0x3_A318_C62E,  // "O"
    0x7_A31F_4210,  // "P"
    0x3_A318_D64D,  // "Q"
    0x7_A31F_5251,  // "R"
    0x3_E107_043E,  // "S"
    0x7_C842_1084,  // "T"
    0x4_6318_C62E,  // "U"
    0x4_6318_C544,  // "V"
    0x4_631A_D6AA,  // "W"
    0x4_62A2_2A31,  // "X"
    0x4_62A2_1084,  // "Y"
    0x7_C222_221F,  // "Z"
    0x3_9084_210E,  // "["
    0x0_2082_0820,  // "\\"
    0x3_8421_084E,  // "]"
    0x1_1510_0000,  // "^"
    0x0_0000_001F,  // "_"
    0x2_0800_0000,  // "`"
    0x0_00E0_BE2F,  // "a"
    0x4_216C_C63E,  // "b"
    0x0_00E8_422E,  // "c"
    0x0_42D9_C62F,  // "d"
    0x0_00E8_FE0E,  // "e"
    0x1_928E_2108,  // "f"
    0x0_1F18_BC2E,  // "g"
    0x4_216C_C631,  // "h"
    0x1_00C2_108E,  // "i"
    0x0_8061_0A4C,  // "j"
    0x4_212A_6292,  // "k"
    0x3_0842_108E,  // "l"
    0x0_01AA_D631,  // "m"
    0x0_016C_C631,  // "n"
    0x0_00E8_C62E,  // "o"
    0x0_01E8_FA10,  // "p"
    0x0_00D9_BC21,  // "q"
    0x0_016C_C210,  // "r"
    0x0_00E8_383E,  // "s"
    0x2_11C4_2126,  // "t"
    0x0_0118_C66D,  // "u"
    0x0_0118_C544,  // "v"
    0x0_0118_D6AA,  // "w"
    0x0_0115_1151,  // "x"
    0x0_0118_BC2E,  // "y"
    0x0_01F1_111F,  // "z"
    0x0_8844_1082,  // "{"
    0x1_0842_1084,  // "|"
    0x2_0841_1088,  // "}"
    0x0_008A_8800,  // "~"
  ]

  /// Whether pixel (`column`, `row`) of `character`'s glyph is ink; false outside the glyph.
  public static func isInk(_ character: Character, column: Int, row: Int) -> Bool {
    guard (0..<glyphWidth).contains(column), (0..<glyphHeight).contains(row) else { return false }
    let bit = (glyphHeight - 1 - row) * glyphWidth + (glyphWidth - 1 - column)
    return glyph(character) >> UInt64(bit) & 1 == 1
  }

  /// The glyph bits of `character` (`?` for characters outside printable ASCII).
  static func glyph(_ character: Character) -> UInt64 {
    guard let ascii = character.asciiValue, (32...126).contains(ascii) else {
      return glyphs[Int(UInt8(ascii: "?")) - 32]
    }
    return glyphs[Int(ascii) - 32]
  }

  /// The width in pixels of `text` drawn on one line (0 when empty).
  public static func width(of text: String) -> Int {
    text.isEmpty ? 0 : text.count * advance - 1
  }

  /// `text` cut to at most `width` pixels, ending in `..` when cut.
  public static func fitting(_ text: String, width: Int) -> String {
    let characters = max((width + 1) / advance, 0)
    if text.count <= characters { return text }
    if characters <= 2 { return String(text.prefix(characters)) }
    return String(text.prefix(characters - 2)) + ".."
  }

  /// Draws `text` into `pixels`, an (height, width, channels) interleaved image, with its
  /// top-left corner at (`x`, `y`), in `ink` (one value per channel); pixels outside the
  /// image are skipped.
  public static func draw(
    _ text: String, into pixels: inout [UInt8], width: Int, height: Int, channels: Int,
    x: Int, y: Int, ink: [UInt8]
  ) {
    for (i, character) in text.enumerated() {
      let left = x + i * advance
      for row in 0..<glyphHeight where (0..<height).contains(y + row) {
        for column in 0..<glyphWidth where (0..<width).contains(left + column) {
          guard isInk(character, column: column, row: row) else { continue }
          let base = ((y + row) * width + left + column) * channels
          for c in 0..<channels { pixels[base + c] = ink[c] }
        }
      }
    }
  }
}
