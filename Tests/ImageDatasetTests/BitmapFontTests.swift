import Testing

@testable import ImageDataset

/// The 5×7 label font: every printable ASCII character has its own glyph inside the cell,
/// and drawing never writes outside the canvas.
@Suite struct BitmapFontTests {
  static let printable = (32...126).map { Character(Unicode.Scalar(UInt8($0))) }

  @Test func everyPrintableCharacterHasItsOwnGlyphInsideTheCell() {
    #expect(BitmapFont.glyphs.count == 95)
    #expect(BitmapFont.glyphs.allSatisfy { $0 < 1 << 35 }, "35 bits: 7 rows of 5")
    #expect(Set(BitmapFont.glyphs).count == 95, "no two characters look the same")
    for character in Self.printable where character != " " {
      let ink = (0..<7).flatMap { row in (0..<5).map { BitmapFont.isInk(character, column: $0, row: row) } }
      #expect(ink.contains(true), "\(character) draws something")
    }
    #expect(!(0..<7).contains { row in (0..<5).contains { BitmapFont.isInk(" ", column: $0, row: row) } })
  }

  @Test func lettersHaveTheirShape() {
    // "L": the left column and the bottom row, nothing else.
    for row in 0..<7 {
      for column in 0..<5 {
        #expect(BitmapFont.isInk("L", column: column, row: row) == (column == 0 || row == 6), "L at \(column),\(row)")
      }
    }
    // "T": the top row and the middle column.
    for row in 0..<7 {
      for column in 0..<5 {
        #expect(BitmapFont.isInk("T", column: column, row: row) == (row == 0 || column == 2), "T at \(column),\(row)")
      }
    }
  }

  @Test func otherCharactersDrawAsQuestionMarks() {
    #expect(BitmapFont.glyph("é") == BitmapFont.glyph("?"))
    #expect(BitmapFont.glyph("\n") == BitmapFont.glyph("?"))
    #expect(BitmapFont.glyph("猫") == BitmapFont.glyph("?"))
  }

  @Test func widthsAndFitting() {
    #expect(BitmapFont.width(of: "") == 0)
    #expect(BitmapFont.width(of: "abc") == 17)
    #expect(BitmapFont.fitting("dandelion", width: 100) == "dandelion")
    #expect(BitmapFont.fitting("dandelion", width: 35) == "dand..")
    #expect(BitmapFont.width(of: BitmapFont.fitting("dandelion", width: 35)) <= 35)
    #expect(BitmapFont.fitting("dandelion", width: 11) == "da")
    #expect(BitmapFont.fitting("dandelion", width: 0) == "")
  }

  @Test func drawingIsClippedToTheCanvas() {
    var pixels = [UInt8](repeating: 0, count: 8 * 6 * 3)
    BitmapFont.draw("WW", into: &pixels, width: 8, height: 6, channels: 3, x: -2, y: -1, ink: [9, 8, 7])
    #expect(pixels.count == 8 * 6 * 3)
    #expect(pixels.contains(9))
    // Every inked pixel is where a glyph pixel of "WW" lands.
    for y in 0..<6 {
      for x in 0..<8 {
        let inked = pixels[(y * 8 + x) * 3] == 9
        let glyphX = x + 2, glyphY = y + 1
        let expected = BitmapFont.isInk("W", column: glyphX % 6, row: glyphY) && glyphX % 6 < 5
        #expect(inked == expected, "pixel \(x),\(y)")
        if inked { #expect(Array(pixels[(y * 8 + x) * 3..<(y * 8 + x) * 3 + 3]) == [9, 8, 7]) }
      }
    }
  }
}
