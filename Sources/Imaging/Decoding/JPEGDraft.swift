/// Pillow's `JpegImageFile.draft` size rule: the DCT scale for a requested size.
enum JPEGDraft {
  /// 8, 4, 2 or 1: the largest of those not above `min(W // w, H // h)`, where W×H is the
  /// frame size from the JPEG's SOF marker (1 when no SOF marker is found).
  static func scaleDenominator(
    _ bytes: UnsafeRawBufferPointer,
    requested: (width: Int, height: Int)
  ) -> Int {
    guard requested.width > 0, requested.height > 0,
      let size = JPEGMarkers.frameSize(bytes)
    else { return 1 }
    let scale = min(size.width / requested.width, size.height / requested.height)
    for s in [8, 4, 2] where scale >= s { return s }
    return 1
  }
}
