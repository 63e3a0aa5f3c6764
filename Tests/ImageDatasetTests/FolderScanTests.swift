import Foundation
import Testing

@testable import ImageDataset

@Suite struct FolderScanTests {
  @Test func classesAreSortedSubfoldersAndFilesSortedRecursively() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try dir.file("tulips/b.JPG")
    try dir.file("tulips/a.png")
    try dir.file("tulips/nested/c.jpeg")
    try dir.file("tulips/notes.txt")
    try dir.file("tulips/.hidden.jpg")
    try dir.file("daisy/z.PNG")
    try dir.file("Roses/x.jpg")  // upper case sorts first in code-point order
    try dir.file(".cache/ignored.jpg")  // hidden class folder
    try dir.file("README.md")  // top-level file of a labeled folder
    try dir.folder("empty")

    let folder = try ImageFolder.scan(dir.url)
    #expect(folder.classes == ["Roses", "daisy", "empty", "tulips"])
    #expect(
      folder.files.map(\.relativePath) == [
        "Roses/x.jpg", "daisy/z.PNG", "tulips/a.png", "tulips/b.JPG", "tulips/nested/c.jpeg",
      ])
    #expect(folder.files.map(\.label) == [0, 1, 3, 3, 3])
    #expect(folder.ignored.sorted() == [".cache", "README.md", "tulips/.hidden.jpg", "tulips/notes.txt"])
  }

  @Test func aFolderWithoutSubfoldersIsUnlabeled() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try dir.file("b.png")
    try dir.file("a.jpg")
    try dir.file("c.svg")
    let folder = try ImageFolder.scan(dir.url)
    #expect(folder.classes.isEmpty)
    #expect(!folder.isLabeled)
    #expect(
      folder.files == [
        ImageFile(relativePath: "a.jpg", label: nil),
        ImageFile(relativePath: "b.png", label: nil),
      ])
    #expect(folder.ignored == ["c.svg"])
  }

  @Test func symbolicLinkLoopsDoNotHang() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try dir.file("cats/a.jpg")
    try FileManager.default.createSymbolicLink(
      atPath: dir.url.appendingPathComponent("cats/loop").path,
      withDestinationPath: dir.url.appendingPathComponent("cats").path)
    try FileManager.default.createSymbolicLink(
      atPath: dir.url.appendingPathComponent("cats/dangling.jpg").path,
      withDestinationPath: "/nonexistent/file.jpg")
    let folder = try ImageFolder.scan(dir.url)
    #expect(folder.files.map(\.relativePath) == ["cats/a.jpg"])
    #expect(folder.ignored.sorted() == ["cats/dangling.jpg", "cats/loop"])
  }

  @Test func errorsNameThePathAndReason() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let missing = dir.url.appendingPathComponent("missing")
    #expect(throws: ScanError.notFound(path: missing.path)) { try ImageFolder.scan(missing) }
    let file = try dir.file("file.jpg")
    #expect(throws: ScanError.notADirectory(path: file.path)) { try ImageFolder.scan(file) }
    try dir.file("only/notes.txt")
    let only = dir.url.appendingPathComponent("only")
    do {
      _ = try ImageFolder.scan(only)
      Issue.record("expected an error")
    } catch {
      #expect(error.description.contains(only.path))
      #expect(error.description.contains("expected .jpg, .jpeg or .png images, found none"))
    }
  }

  @Test func messagesStayOneLineWhateverThePath() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let odd = dir.url.appendingPathComponent("line\nbreak\u{1B}[31m")
    do {
      _ = try ImageFolder.scan(odd)
      Issue.record("expected an error")
    } catch {
      #expect(!error.description.contains("\n") && !error.description.contains("\u{1B}"))
      #expect(error.description.contains("line\\nbreak\\x1b[31m: no such folder"))
    }
    let unknown = ScanError.unknownClasses(path: "/data", names: ["a\rb"], source: "--classes")
    #expect(unknown.description == "/data: class folder 'a\\rb' not listed in --classes")
  }
}
