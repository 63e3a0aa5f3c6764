import Foundation
import Imaging
import NDArray
import NPYIO
import Testing

@testable import ImageDataset

@Suite struct DuplicatesSummaryExportTests {
  // MARK: SHA-256

  func hex(_ text: String) -> String {
    Array(text.utf8).withUnsafeBytes { SHA256Digest(of: $0).description }
  }

  /// FIPS 180-4's example vectors (also `hashlib.sha256(...).hexdigest()`).
  @Test func sha256MatchesTheStandardVectors() {
    #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var hasher = SHA256Hasher()
    let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(block) }
    #expect(hasher.finish().description == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 200])
  func sha256IsTheSameInAnyPieces(split: Int) {
    let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    var pieces = SHA256Hasher()
    pieces.update(Array(bytes[..<split]))
    pieces.update(Array(bytes[split...]))
    let whole = bytes.withUnsafeBytes { SHA256Digest(of: $0) }
    #expect(pieces.finish() == whole)
  }

  // MARK: DuplicateFinder

  func digest(_ text: String) -> SHA256Digest { Array(text.utf8).withUnsafeBytes { SHA256Digest(of: $0) } }

  @Test func filesMatchFirstByBytesThenByPixels() {
    var finder = DuplicateFinder()
    let a = digest("file a"), b = digest("file b"), p = digest("pixels")
    #expect(finder.check(file: "a", fileHash: a, pixelHash: p, drop: false) == nil)
    let copy = finder.check(file: "a copy", fileHash: a, pixelHash: p, drop: true)
    #expect(copy?.kind == .identicalFile && copy?.original == "a" && copy?.dropped == true)
    let recoded = finder.check(file: "b", split: "val", fileHash: b, pixelHash: p, drop: false)
    #expect(recoded?.kind == .samePixels && recoded?.original == "a" && recoded?.crossesSplits == true)
    #expect(finder.check(file: "c", fileHash: digest("c"), pixelHash: digest("other"), drop: false) == nil)
    #expect(finder.duplicates.map(\.file) == ["a copy", "b"])
  }

  @Test func pixelHashesDifferByShape() {
    let bytes = [UInt8](repeating: 7, count: 12)
    let (wide, tall) = bytes.withUnsafeBytes {
      (DuplicateFinder.pixelHash($0, shape: [1, 4, 3]), DuplicateFinder.pixelHash($0, shape: [4, 1, 3]))
    }
    #expect(wide != tall)
  }

  // MARK: The pipeline with a custom loader (pixels, no file facts)

  @Test func keepFirstDropsLaterCopiesAndListsThem() throws {
    let folder = try TemporaryDirectory()
    defer { folder.cleanup() }
    try folder.file("in/a/one.png", "4 3 1")
    try folder.file("in/a/two.png", "4 3 2")
    try folder.file("in/b/one-again.png", "4 3 1")
    var options = ConversionOptions()
    options.normalization = .none
    options.dedupe = .keepFirst
    let report = try DatasetConverter(options: options, loader: SyntheticLoader())
      .convert(folder: folder.url.appendingPathComponent("in"), to: folder.url.appendingPathComponent("out.npz"))
    #expect(report.images == 2)
    #expect(report.summary.duplicates.map(\.file) == ["b/one-again.png"])
    #expect(report.summary.duplicates.first?.kind == .samePixels)
    #expect(report.summary.perClass.map(\.images) == [2, 0])
    #expect(report.summary.undescribed == 2)
    let archive = try NPZReader(url: folder.url.appendingPathComponent("out.npz"))
    #expect(try archive.readStrings("dropped") == ["b/one-again.png"])
    #expect(try archive.readStrings("files") == ["a/one.png", "a/two.png"])
    #expect(folder.entries == ["in", "out.duplicates.csv", "out.npz", "out.summary.json"])
    let csv = try String(contentsOf: folder.url.appendingPathComponent("out.duplicates.csv"), encoding: .utf8)
    #expect(
      csv == "file,duplicate_of,kind,split,duplicate_of_split,dropped\r\nb/one-again.png,a/one.png,same-pixels,,,1\r\n")
  }

  // MARK: Summary

  @Test func medianIsNumPys() throws {
    // np.median([3, 1, 10, 2]) == 2.5 and np.median([5, 1, 3]) == 3.0.
    #expect(try #require(DatasetSummary.minMedianMax([3, 1, 10, 2])) == (1, 2.5, 10))
    #expect(try #require(DatasetSummary.minMedianMax([5, 1, 3])) == (1, 3.0, 5))
    #expect(DatasetSummary.minMedianMax([]) == nil)
  }

  @Test func ignoredFilesAreGroupedByExtension() {
    var summary = DatasetSummary(classes: [])
    summary.ignored = ["b/z.TXT", "a/notes.txt", "README", "a/.hidden", "c/x.txt", "d/y.txt"]
    let groups = summary.ignoredByExtension(first: 2)
    #expect(groups.map(\.extension) == ["", ".txt"])
    #expect(groups[0].count == 2 && groups[0].first == ["README", "a/.hidden"])
    #expect(groups[1].count == 4 && groups[1].first == ["a/notes.txt", "b/z.TXT"])
  }

  @Test func sixteenBitSamplesWarnAndNameDepth16() {
    var summary = DatasetSummary(classes: ["a"])
    let info = ImageInfo(
      format: .png, width: 4, height: 2, hasSixteenBitSamples: true, hasTransparency: false, orientation: .up)
    summary.add(info, label: 0)
    #expect(summary.warnings.count == 1 && summary.warnings[0].contains("--depth 16"))
    #expect(summary.lines.contains("warning: " + summary.warnings[0]))
  }

  // MARK: Decoder facts (Pillow: dandelion_00001.png is PNG 128x96 RGBA with alpha min 64;
  // daisy_00000.jpg is JPEG 128x96 L)

  @Test func decoderReportsFormatSizeAndTransparency() throws {
    let samples = repositoryRoot.appendingPathComponent("Samples/images")
    let png = try ImageDecoder.readFile(samples.appendingPathComponent("dandelion/dandelion_00001.png"))
    let (pixels, info) = try png.withUnsafeBytes { try ImageDecoder.decodeDescribed($0, name: "png") }
    #expect(
      info
        == ImageInfo(
          format: .png, width: 128, height: 96, hasSixteenBitSamples: false, hasTransparency: true, orientation: .up))
    #expect(pixels.shape == [96, 128, 3])
    let jpeg = try ImageDecoder.readFile(samples.appendingPathComponent("daisy/daisy_00000.jpg"))
    let jpegInfo = try jpeg.withUnsafeBytes { try ImageDecoder.decodeDescribed($0, name: "jpg").info }
    #expect(jpegInfo.format == .jpeg && !jpegInfo.hasTransparency && !jpegInfo.isRotated)
  }

  /// Palette transparency counts as Pillow's `convert("RGBA")` shows it: gif_transparency.gif
  /// (transparent index 3, in use: alpha min 0), gif_P.gif (no transparency: alpha min 255).
  @Test func paletteImagesWithATransparentIndexInUseCountAsTransparent() throws {
    let formats = repositoryRoot.appendingPathComponent("Tests/Fixtures/images/formats")
    for (name, expected) in [("gif_transparency.gif", true), ("gif_P.gif", false)] {
      let bytes = try ImageDecoder.readFile(formats.appendingPathComponent(name))
      let info = try bytes.withUnsafeBytes { try ImageDecoder.decodeDescribed($0, name: name).info }
      #expect(info.hasTransparency == expected, "\(name)")
    }
  }

  // MARK: Exports

  @Test func exportListsParseAndRefuseRepeats() throws {
    #expect(try ExportTarget.parseList("hf, timm,KERAS") == [.hf, .timm, .keras])
    #expect(throws: ConversionError.self) { try ExportTarget.parseList("hf,hf") }
    #expect(throws: ConversionError.self) { try ExportTarget.parseList("onnx") }
    #expect(throws: ConversionError.self) { try ExportTarget.parseList("") }
  }

  @Test func refusalsNameTheOption() {
    var options = ConversionOptions()
    #expect(ExportTarget.allCases.allSatisfy { $0.refusal(for: options) == nil })
    options.statistics = .batch(size: 8)
    #expect(ExportTarget.allCases.allSatisfy { $0.refusal(for: options)?.contains("--stats batch:8") == true })
    options = ConversionOptions()
    options.resizeMode = .crop
    #expect(ExportTarget.keras.refusal(for: options) == nil)
    #expect(ExportTarget.hf.refusal(for: options)?.contains("--resize crop") == true)
    options = ConversionOptions()
    options.exports = [.hf]
    options.resizeMode = .pad
    #expect(throws: ConversionError.self) { try options.validate() }
  }

  @Test func hfResampleIsPillowsFilterNumber() {
    // PIL.Image.Resampling: NEAREST 0, LANCZOS 1, BILINEAR 2, BICUBIC 3, BOX 4, HAMMING 5.
    let expected: [ResizeFilter: Int] = [.nearest: 0, .lanczos: 1, .bilinear: 2, .bicubic: 3, .box: 4, .hamming: 5]
    for (filter, number) in expected { #expect(HuggingFaceExport.pillowNumber(filter) == number) }
  }
}
