import Foundation
import TutorCore

/// How the next token is chosen from the logits. Defaults give greedy decoding.
public struct SamplingOptions: Sendable, Equatable {
    /// 0 picks the most likely token (greedy); higher flattens the distribution.
    public var temperature: Float = 0
    /// Keep only the k most likely tokens (0: all).
    public var topK = 0
    /// Keep the smallest set of most likely tokens whose probabilities reach p (1: all).
    public var topP: Float = 1
    /// Drop tokens less likely than minP times the most likely one (0: none).
    public var minP: Float = 0
    /// Divide positive logits (multiply negative ones) of recently seen tokens by this (1: off).
    public var repetitionPenalty: Float = 1
    /// How many recent tokens the repetition penalty looks at.
    public var repetitionWindow = 64
    /// The random seed, so a sampled answer can be reproduced.
    public var seed: UInt64 = 0x5EED

    /// Greedy decoding.
    public static let greedy = SamplingOptions()

    /// Options with the given values; every parameter has the documented default.
    public init(
        temperature: Float = 0, topK: Int = 0, topP: Float = 1, minP: Float = 0, repetitionPenalty: Float = 1,
        repetitionWindow: Int = 64, seed: UInt64 = 0x5EED
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }
}

/// Picks tokens from logits: repetition penalty, then greedy or temperature with top-k, top-p and min-p filters.
///
/// Not thread-safe (it owns its random generator); one sampler per generation.
public struct Sampler {
    public let options: SamplingOptions
    private var random: SplitMix64

    /// A sampler seeded from `options.seed`.
    public init(options: SamplingOptions = .greedy) {
        self.options = options
        random = SplitMix64(seed: options.seed)
    }

    /// The next token given the logits and the tokens so far (for the repetition penalty).
    public mutating func sample(_ logits: [Float], history: [Int] = []) -> Int {
        var logits = logits
        if options.repetitionPenalty != 1 {
            for token in Set(history.suffix(options.repetitionWindow)) where token >= 0 && token < logits.count {
                let value = logits[token]
                logits[token] = value > 0 ? value / options.repetitionPenalty : value * options.repetitionPenalty
            }
        }
        if options.temperature <= 0 {
            var best = 0
            for i in logits.indices where logits[i] > logits[best] { best = i }
            return best
        }
        // Candidates sorted by logit, most likely first.
        var candidates = logits.indices.sorted { logits[$0] > logits[$1] }
        if options.topK > 0 && options.topK < candidates.count {
            candidates.removeLast(candidates.count - options.topK)
        }
        let top = logits[candidates[0]]
        var probabilities = candidates.map { expf((logits[$0] - top) / options.temperature) }
        let total = probabilities.reduce(0, +)
        probabilities = probabilities.map { $0 / total }
        var keep = probabilities.count
        if options.minP > 0 {
            let floor = options.minP * probabilities[0]
            keep = min(keep, max(1, probabilities.firstIndex { $0 < floor } ?? keep))
        }
        if options.topP < 1 {
            var cumulative: Float = 0
            for i in 0..<keep {
                cumulative += probabilities[i]
                if cumulative >= options.topP {
                    keep = i + 1
                    break
                }
            }
        }
        let kept = probabilities[..<keep]
        var draw = Float.random(in: 0..<kept.reduce(0, +), using: &random)
        for (i, p) in kept.enumerated() {
            draw -= p
            if draw < 0 { return candidates[i] }
        }
        return candidates[keep - 1]
    }
}
