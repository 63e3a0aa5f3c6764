import NDArray

/// `--split train=0.8,val=0.1,test=0.1 --seed S`: which split each image goes to. The rules
/// are simple enough to repeat in NumPy (python-interop/split_reference.py does):
///
/// - Rows with a `split` column value keep it; the others are assigned here.
/// - One generator, `numpy.random.default_rng(S)`, drives every draw below, in order.
/// - **Stratified** (the default): the free images are grouped by class (an image's first
///   label; unlabeled images form one more group), classes in ascending label order,
///   unlabeled first. **`--no-stratify`**: one group of all free images.
///   For a group of `n` images in plan order, ``counts(_:fractions:training:)`` gives each
///   split's count; `p = rng.permutation(n)`; the images at `p[0 ..< c0]` go to the first
///   split, the next `c1` to the second, and so on.
/// - **Groups** (`--group-column`): a group never straddles splits, so whole groups are
///   assigned and stratification is off. A group with rows already split goes where they
///   are (rows of one group in two splits are an error). The other groups, in order of
///   first appearance, are visited in `rng.permutation(G)` order; each goes to the split
///   furthest below its target `fraction × images` (largest `target − count`; ties to the
///   earlier split). Image counts then approximate the fractions.
///
/// The scikit-learn equivalents are `train_test_split(stratify=y)` and `GroupShuffleSplit`.
public enum SplitAssignment {
  /// Each split's share of `n` images: `floor(f × n)` each, then the remaining images one
  /// each to the splits with the largest remainders `f × n − floor(f × n)` (ties to the
  /// earlier split); then, when the training split (index `training`, fraction > 0) got
  /// none and `n ≥ 1`, it takes one from the split with the most (ties to the later split),
  /// so every class has at least one training image where possible.
  public static func counts(_ n: Int, fractions: [Double], training: Int?) -> [Int] {
    let quotas = fractions.map { $0 * Double(n) }
    var counts = quotas.map { Int($0.rounded(.down)) }
    let remaining = n - counts.reduce(0, +)
    let byRemainder = quotas.indices.sorted { a, b in
      let ra = quotas[a] - Double(counts[a]), rb = quotas[b] - Double(counts[b])
      return ra != rb ? ra > rb : a < b
    }
    for i in byRemainder.prefix(max(0, remaining)) { counts[i] += 1 }
    if let training, n >= 1, counts[training] == 0, fractions[training] > 0 {
      var donor = 0
      for i in counts.indices where counts[i] >= counts[donor] { donor = i }
      counts[donor] -= 1
      counts[training] += 1
    }
    return counts
  }

  /// Split names from a `split` column, in output order: `train`, then `val`/`validation`,
  /// then `test`, then the others in order of first appearance.
  public static func namesInOrder(_ names: [String]) -> [String] {
    var seen: [String] = []
    for name in names where !seen.contains(name) { seen.append(name) }
    let known = ["train", "val", "validation", "test"]
    return known.filter(seen.contains) + seen.filter { !known.contains($0) }
  }

  /// Assigns a split to every entry not `fixed`, by the rules above.
  ///
  /// - Throws: when one group has rows in two splits.
  static func assign(_ entries: inout [PlanEntry], fixed: [Bool], rule: SplitRule, source: String)
    throws(ConversionError)
  {
    let names = rule.parts.map(\.name)
    let fractions = rule.parts.map(\.fraction)
    let training = names.firstIndex(of: "train") ?? 0
    var random = NumPyRandomGenerator(seed: rule.seed)
    if rule.groupColumn != nil {
      try assignGroups(&entries, fixed: fixed, names: names, fractions: fractions, random: &random, source: source)
      return
    }
    var strata: [Int: [Int]] = [:]
    for i in entries.indices where !fixed[i] {
      strata[rule.stratify ? (entries[i].labels.first ?? -1) : 0, default: []].append(i)
    }
    for key in strata.keys.sorted() {
      let members = strata[key]!
      let counts = counts(members.count, fractions: fractions, training: training)
      var order = Array(0..<members.count)
      random.shuffle(&order)  // rng.permutation(n)
      var position = 0
      for (split, count) in counts.enumerated() {
        for _ in 0..<count {
          entries[members[order[position]]].split = names[split]
          position += 1
        }
      }
    }
  }

  static func assignGroups(
    _ entries: inout [PlanEntry], fixed: [Bool], names: [String], fractions: [Double],
    random: inout NumPyRandomGenerator, source: String
  ) throws(ConversionError) {
    // Groups in order of first appearance; an entry without a group value is its own group.
    var groupOrder: [String] = []
    var members: [String: [Int]] = [:]
    for i in entries.indices {
      let key = entries[i].group.map { "g:" + $0 } ?? "p:" + entries[i].path
      if members[key] == nil { groupOrder.append(key) }
      members[key, default: []].append(i)
    }
    var counts = [Int](repeating: 0, count: names.count)
    var free: [String] = []
    for key in groupOrder {
      let rows = members[key]!
      let splits = Set(rows.filter { fixed[$0] }.compactMap { entries[$0].split })
      if splits.count > 1 {
        throw .invalidOptions(
          "\(source): group '\(entries[rows[0]].group ?? "")' has rows in splits \(splits.sorted().joined(separator: " and ")); a group must stay in one split"
        )
      }
      if let split = splits.first {
        for i in rows { entries[i].split = split }
        if let index = names.firstIndex(of: split) { counts[index] += rows.count }
      } else {
        free.append(key)
      }
    }
    let total = Double(entries.count)
    var order = Array(0..<free.count)
    random.shuffle(&order)  // rng.permutation(G)
    for k in order {
      let rows = members[free[k]]!
      var best = 0
      var bestDeficit = -Double.infinity
      for s in names.indices {
        let deficit = fractions[s] * total - Double(counts[s])
        if deficit > bestDeficit { best = s; bestDeficit = deficit }
      }
      for i in rows { entries[i].split = names[best] }
      counts[best] += rows.count
    }
  }
}
