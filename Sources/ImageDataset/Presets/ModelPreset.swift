import Imaging

/// A pretrained model's input convention (`--preset NAME`): every option that decides the
/// pixels a model sees — size, resize mode and filter, channel order, value scale, mean, std
/// and the conventional layout — taken from the framework's own code or published config.
///
/// The equivalents, on a Pillow image, are each preset's ``source``:
/// `keras.applications.<model>.preprocess_input` after `keras.utils.load_img(path,
/// target_size=…)`; torchvision's `ImageClassification` weights transform; OpenAI CLIP's
/// `_transform(n_px)`; timm's `resolve_data_config` + `create_transform` for a model's
/// `pretrained_cfg`. The arithmetic is theirs too (``NormalizationArithmetic/float32``).
public struct ModelPreset: Sendable, Equatable {
  /// The name `--preset` takes (any letter case), e.g. `keras-caffe` or `timm:resnet50`.
  public var name: String
  /// Other names for the same preset (timm's full `model.tag` names).
  public var aliases: [String] = []
  /// The family preset this one specializes (`keras-caffe` for `vgg16`), or nil.
  public var family: String?
  /// Output size (square), the model's default input size.
  public var size: Int
  /// How images reach ``size``.
  public var resizeMode: ResizeMode
  /// The shorter side before the centre crop (``ResizeMode/shortSideCrop`` only).
  public var shortSide: Int?
  /// The resampling filter (Pillow's).
  public var filter: ResizeFilter
  /// RGB or BGR.
  public var channelOrder: ChannelOrder
  /// The values the normalization sees.
  public var valueScale: ValueScale
  /// `center` (caffe) or `standardize`.
  public var normalization: NormalizationMode
  /// Mean per channel, in ``channelOrder``, on ``valueScale``.
  public var mean: [Double]
  /// Std per channel, in ``channelOrder``, on ``valueScale`` (1 on the 255 scale: none).
  public var std: [Double]
  /// `nhwc` for Keras, `nchw` for PyTorch models.
  public var layout: OutputLayout
  /// Where the numbers come from.
  public var source: String
  /// The framework's order of Float32 steps.
  public var arithmetic: NormalizationArithmetic = .float32

  /// The mean and std as ``NormalizationStatistics`` on the unit scale.
  public var statistics: NormalizationStatistics {
    NormalizationStatistics(
      mean: mean.map { $0 / valueScale.divisor }, std: std.map { $0 / valueScale.divisor },
      minimum: nil, maximum: nil, count: nil)
  }

  /// Sets every option the preset fixes; the caller then applies the options given
  /// explicitly, which override these.
  public func apply(to options: inout ConversionOptions) {
    options.size = ImageSize(width: size, height: size)
    options.resizeMode = resizeMode
    options.shortSide = shortSide
    options.filter = filter
    options.color = .rgb
    options.channelOrder = channelOrder
    options.valueScale = valueScale
    options.normalization = normalization
    options.scope = .channel
    options.statistics = .given(statistics)
    options.layout = layout
    options.arithmetic = arithmetic
    options.preset = name
  }

  /// The preset called `name` (or one of its aliases), in any letter case; nil if none is.
  public static func named(_ name: String) -> ModelPreset? {
    let key = name.lowercased()
    return all.first { $0.name == key || $0.aliases.contains(key) }
  }

  /// Every name `--preset` accepts, aliases included.
  public static var allNames: [String] { all.flatMap { [$0.name] + $0.aliases } }

  // MARK: The table

  /// ImageNet's mean and std on the unit scale (torchvision's `ImageClassification`
  /// defaults, Keras's `mode="torch"`, timm's `IMAGENET_DEFAULT_MEAN`/`_STD`).
  static let imagenetMean = [0.485, 0.456, 0.406]
  static let imagenetStd = [0.229, 0.224, 0.225]

  static let kerasLoading =
    "size and filter of keras.utils.load_img(path, target_size=(S, S)) (interpolation='nearest', its default)"

  /// `keras.applications.imagenet_utils.preprocess_input(mode="caffe")`: RGB to BGR
  /// (`x[..., ::-1]`), then `x[..., c] -= [103.939, 116.779, 123.68][c]` on 0–255 floats.
  static func kerasCaffe(_ name: String, size: Int, model: String) -> ModelPreset {
    ModelPreset(
      name: name, family: name == "keras-caffe" ? nil : "keras-caffe", size: size, resizeMode: .stretch,
      filter: .nearest, channelOrder: .bgr, valueScale: .pixel, normalization: .center,
      mean: [103.939, 116.779, 123.68], std: [1, 1, 1], layout: .nhwc,
      source:
        "keras.applications.\(model).preprocess_input (imagenet_utils mode='caffe': BGR, minus [103.939, 116.779, 123.68] on 0-255); "
        + kerasLoading)
  }

  /// `preprocess_input(mode="tf")`: `x /= 127.5; x -= 1`, i.e. mean 127.5, std 127.5 on
  /// the 0–255 scale, divided first.
  static func kerasTF(_ name: String, size: Int, model: String) -> ModelPreset {
    var preset = ModelPreset(
      name: name, family: name == "keras-tf" ? nil : "keras-tf", size: size, resizeMode: .stretch,
      filter: .nearest, channelOrder: .rgb, valueScale: .pixel, normalization: .standardize,
      mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5], layout: .nhwc,
      source: "keras.applications.\(model).preprocess_input (imagenet_utils mode='tf': x / 127.5 - 1); " + kerasLoading)
    preset.arithmetic = .float32DivideFirst
    return preset
  }

  /// `preprocess_input(mode="torch")`: `x /= 255`, then ImageNet mean and std.
  static func kerasTorch(_ name: String, size: Int, model: String) -> ModelPreset {
    ModelPreset(
      name: name, family: name == "keras-torch" ? nil : "keras-torch", size: size, resizeMode: .stretch,
      filter: .nearest, channelOrder: .rgb, valueScale: .unit, normalization: .standardize,
      mean: imagenetMean, std: imagenetStd, layout: .nhwc,
      source:
        "keras.applications.\(model).preprocess_input (imagenet_utils mode='torch': x / 255, ImageNet mean/std); "
        + kerasLoading)
  }

  /// timm's evaluation transform for a `pretrained_cfg`: `Resize(floor(size / crop_pct),
  /// interpolation)` + `CenterCrop(size)` + `ToTensor` + `Normalize(mean, std)`
  /// (timm.data.transforms_factory.transforms_imagenet_eval, crop_mode 'center').
  static func timm(
    _ model: String, tag: String, size: Int, cropPercent: Double, filter: ResizeFilter,
    mean: [Double], std: [Double], config: String
  ) -> ModelPreset {
    let shortSide = Int((Double(size) / cropPercent).rounded(.down))
    return ModelPreset(
      name: "timm:\(model)", aliases: ["timm:\(model).\(tag)"], family: "timm", size: size,
      resizeMode: .shortSideCrop, shortSide: shortSide, filter: filter, channelOrder: .rgb, valueScale: .unit,
      normalization: .standardize, mean: mean, std: std, layout: .nchw,
      source:
        "timm pretrained_cfg of \(model).\(tag) (\(config)): input_size (3, \(size), \(size)), crop_pct \(cropPercent), interpolation '\(filter.rawValue)'; eval transform Resize(floor(\(size) / \(cropPercent)) = \(shortSide)) + CenterCrop(\(size)) + ToTensor + Normalize"
    )
  }

  /// Every preset, in the order `normtool presets` lists them.
  public static let all: [ModelPreset] = [
    kerasCaffe("keras-caffe", size: 224, model: "vgg16"),
    kerasTF("keras-tf", size: 224, model: "mobilenet_v2"),
    kerasTorch("keras-torch", size: 224, model: "densenet"),
    kerasCaffe("vgg16", size: 224, model: "vgg16"),
    kerasCaffe("vgg19", size: 224, model: "vgg19"),
    kerasCaffe("resnet50", size: 224, model: "resnet50"),
    kerasTF("inception_v3", size: 299, model: "inception_v3"),
    kerasTF("xception", size: 299, model: "xception"),
    kerasTF("mobilenet_v2", size: 224, model: "mobilenet_v2"),
    kerasTorch("densenet121", size: 224, model: "densenet"),
    ModelPreset(
      name: "torchvision", size: 224, resizeMode: .shortSideCrop, shortSide: 256, filter: .bilinear,
      channelOrder: .rgb, valueScale: .unit, normalization: .standardize, mean: imagenetMean, std: imagenetStd,
      layout: .nchw,
      source:
        "torchvision.transforms._presets.ImageClassification(crop_size=224) defaults: resize_size=256, BILINEAR, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225); Resize(256) + CenterCrop(224) + Normalize (the transforms of torchvision's classification weights)"
    ),
    ModelPreset(
      name: "clip", size: 224, resizeMode: .shortSideCrop, shortSide: 224, filter: .bicubic,
      channelOrder: .rgb, valueScale: .unit, normalization: .standardize,
      mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711], layout: .nchw,
      source:
        "OpenAI CLIP clip/clip.py _transform(224): Resize(224, BICUBIC) + CenterCrop(224) + ToTensor + Normalize((0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711))"
    ),
    // timm/models/resnet.py: 'resnet50.a1_in1k': _rcfg(...), _rcfg = interpolation 'bicubic', crop_pct 0.95
    // over _cfg's input_size (3, 224, 224) and IMAGENET_DEFAULT_MEAN/STD.
    timm(
      "resnet50", tag: "a1_in1k", size: 224, cropPercent: 0.95, filter: .bicubic, mean: imagenetMean,
      std: imagenetStd, config: "timm/models/resnet.py _rcfg, IMAGENET_DEFAULT_MEAN/STD"),
    // timm/models/efficientnet.py: 'efficientnet_b0.ra_in1k': _cfg(...), _cfg = input_size (3, 224, 224),
    // crop_pct 0.875, interpolation 'bicubic', IMAGENET_DEFAULT_MEAN/STD.
    timm(
      "efficientnet_b0", tag: "ra_in1k", size: 224, cropPercent: 0.875, filter: .bicubic, mean: imagenetMean,
      std: imagenetStd, config: "timm/models/efficientnet.py _cfg, IMAGENET_DEFAULT_MEAN/STD"),
    // timm/models/vision_transformer.py: 'vit_base_patch16_224.augreg2_in21k_ft_in1k': _cfg(...), _cfg =
    // input_size (3, 224, 224), crop_pct .9, interpolation 'bicubic', IMAGENET_INCEPTION_MEAN/STD (0.5).
    timm(
      "vit_base_patch16_224", tag: "augreg2_in21k_ft_in1k", size: 224, cropPercent: 0.9, filter: .bicubic,
      mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5],
      config: "timm/models/vision_transformer.py _cfg, IMAGENET_INCEPTION_MEAN/STD"),
  ]
}
