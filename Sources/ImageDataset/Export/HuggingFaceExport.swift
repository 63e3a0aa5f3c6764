import Imaging

/// The Hugging Face `preprocessor_config.json` of a run: a `ViTImageProcessor` that resizes
/// to the run's size with the run's Pillow filter, rescales by 1/255 and normalizes with the
/// run's statistics, so `AutoImageProcessor.from_pretrained(folder)` gives the run's NCHW
/// float32 pixels. On the 255 scale (`--scale 255`) it does not rescale, and its mean and
/// std are on 0-255.
///
/// The transformers equivalent is `ViTImageProcessor(size={"height": H, "width": W},
/// resample=PILImageResampling.X, rescale_factor=1/255, image_mean=…, image_std=…)
/// .save_pretrained(folder)`.
enum HuggingFaceExport {
  /// The JSON text.
  static func render(_ context: ExportContext) -> String {
    let config: JSONValue = .object([
      ("image_processor_type", .string("ViTImageProcessor")),
      ("do_resize", .bool(true)),
      ("size", .object([("height", .int(context.height)), ("width", .int(context.width))])),
      ("resample", .int(pillowNumber(context.filter))),
      ("do_rescale", .bool(context.valueScale == .unit)),
      ("rescale_factor", .double(1.0 / 255.0)),
      ("do_normalize", .bool(true)),
      ("image_mean", ExportContext.list(context.scaledMean)),
      ("image_std", ExportContext.list(context.scaledStd)),
      ("do_convert_rgb", .bool(true)),
    ])
    return config.rendered + "\n"
  }

  /// Pillow's `Image.Resampling` value of a filter (NEAREST 0, LANCZOS 1, BILINEAR 2,
  /// BICUBIC 3, BOX 4, HAMMING 5), which `resample` holds.
  static func pillowNumber(_ filter: ResizeFilter) -> Int {
    switch filter {
    case .nearest: return 0
    case .lanczos: return 1
    case .bilinear: return 2
    case .bicubic: return 3
    case .box: return 4
    case .hamming: return 5
    }
  }
}
