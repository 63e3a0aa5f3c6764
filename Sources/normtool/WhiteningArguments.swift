import ArgumentParser
import ImageDataset

extension WhiteningMethod: ExpressibleByArgument, ChoiceArgument {}
extension WhiteningScope: ExpressibleByArgument, ChoiceArgument {}

/// `convert --whiten pca|zca --whiten-scope channel|image --whiten-epsilon E`
/// (docs/design.md §6): ImageDataset's ``WhiteningOptions``.
struct WhiteningArguments: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Whiten after centring (needs --normalize center): pca or zca.",
      discussion:
        "zca: U diag(1/sqrt(eigenvalue + epsilon)) U^T, Keras's ImageDataGenerator zca_whitening; pca: the rotation onto the eigenvectors, largest first, scaled the same way. The matrix is fitted to the exact covariance of the training set (--stats dataset; with --split, of the training split, and it whitens every split) and saved beside it; --stats FILE reuses a saved one. Sharded runs ('normtool shard') fit it at merge from each shard's exact covariance sums."
    ))
  var whiten: WhiteningMethod?

  @Option(
    help:
      "What one whitened vector is: channel (a pixel's colours: CxC covariance, any image size) or image (a flattened image, H*W*C <= 4096, e.g. 32x32x3). Default: channel."
  )
  var whitenScope: WhiteningScope?

  @Option(help: "Added to every eigenvalue before 1/sqrt (Keras's zca_epsilon). Default: 1e-6.")
  var whitenEpsilon: Double?

  /// Sets ``ConversionOptions/whitening``; the scope and epsilon need `--whiten`.
  func apply(to options: inout ConversionOptions) throws {
    guard let whiten else {
      if whitenScope != nil || whitenEpsilon != nil {
        throw ValidationError("--whiten-scope and --whiten-epsilon need --whiten pca|zca")
      }
      return
    }
    options.whitening = WhiteningOptions(method: whiten, scope: whitenScope ?? .channel, epsilon: whitenEpsilon ?? 1e-6)
  }
}
