import Imaging

/// A torchvision snippet of a run: `normalize = transforms.Normalize(mean, std)` and the
/// `transform` that reproduces the run on a PIL image (Resize with the run's filter, which
/// torchvision hands to Pillow for PIL images; ToTensor, which divides by 255; normalize).
///
/// The torchvision equivalent is the file's own text: `transforms.Compose([
/// transforms.Resize((H, W), interpolation=…), transforms.ToTensor(), transforms.Normalize(…)])`.
enum TorchvisionExport {
  /// The Python text.
  static func render(_ context: ExportContext) -> String {
    """
    # Written by normtool convert --export torchvision: the statistics this run applied, on
    # the unit scale (pixel / 255), for images resized to \(context.width)x\(context.height).
    from torchvision import transforms

    MEAN = \(tuple(context.mean))
    STD = \(tuple(context.std))
    SIZE = (\(context.height), \(context.width))  # (height, width)

    normalize = transforms.Normalize(mean=MEAN, std=STD)
    transform = transforms.Compose([
        transforms.Resize(SIZE, interpolation=transforms.InterpolationMode.\(interpolation(context.filter))),
        transforms.ToTensor(),
        normalize,
    ])

    """
  }

  /// `(a, b, c)` with Python's float spelling (shortest round trip, as `repr`).
  static func tuple(_ values: [Double]) -> String {
    "(" + values.map { "\($0)" }.joined(separator: ", ") + (values.count == 1 ? ",)" : ")")
  }

  /// torchvision's `InterpolationMode` member for a Pillow filter.
  static func interpolation(_ filter: ResizeFilter) -> String {
    filter.rawValue.uppercased()
  }
}
