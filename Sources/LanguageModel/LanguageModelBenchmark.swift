import Foundation
import TutorCore

/// What `tutor bench lm` measures: prompt processing, decoding, time to first token, memory.
public struct LanguageModelBenchmarkFigures: Sendable, Codable, Equatable {
    /// Threads the kernels ran on.
    public var threadCount: Int
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// Prompt processing speed, tokens per second.
    public var promptTokensPerSecond: Double
    /// From the prompt's start to the first generated token, milliseconds.
    public var timeToFirstTokenMilliseconds: Double
    /// Tokens decoded after the first (the timer starts after the first token, as llama2.c reports).
    public var decodedTokens: Int
    /// Decoding speed, tokens per second.
    public var decodeTokensPerSecond: Double
    /// Weight bytes one decode step reads.
    public var weightBytes: Int
    /// Weight bytes times decode tokens/s: how much of the memory bandwidth decoding uses.
    public var impliedGigabytesPerSecond: Double
    /// The process's peak resident memory so far, in megabytes.
    public var peakResidentMegabytes: Double
}

/// Runs the language-model benchmark on one model: a fixed pseudo-random prompt, then greedy decoding.
public enum LanguageModelBenchmark {
    /// Prompt processing over `promptTokens` tokens, then `decodeTokens` greedy tokens, on a fresh session.
    public static func run(
        model: LlamaModel, promptTokens: Int = 128, decodeTokens: Int = 128, contextLength: Int = 2_048,
        threadCount: Int
    ) throws -> LanguageModelBenchmarkFigures {
        let vocabulary = model.hyperparameters.vocabularySize
        var random = SplitMix64(seed: 42)
        // Ordinary tokens (past the first few hundred, which hold special and byte tokens), like llama-bench's.
        let prompt = (0..<promptTokens).map { _ in
            Int.random(in: min(1_000, vocabulary - 1)..<vocabulary, using: &random)
        }
        let session = model.makeSession(contextLength: contextLength, threadCount: threadCount)
        var sampler = Sampler()
        let start = Date()
        var logits = try session.evaluate(prompt)
        let promptSeconds = Date().timeIntervalSince(start)
        var token = sampler.sample(logits)
        let firstTokenSeconds = Date().timeIntervalSince(start)
        let decodeStart = Date()
        for _ in 0..<decodeTokens {
            logits = try session.evaluate([token])
            token = sampler.sample(logits)
        }
        let decodeSeconds = Date().timeIntervalSince(decodeStart)
        let decodeRate = Double(decodeTokens) / decodeSeconds
        return LanguageModelBenchmarkFigures(
            threadCount: threadCount, promptTokens: promptTokens,
            promptTokensPerSecond: Double(promptTokens) / promptSeconds,
            timeToFirstTokenMilliseconds: firstTokenSeconds * 1000, decodedTokens: decodeTokens,
            decodeTokensPerSecond: decodeRate, weightBytes: model.weightByteCount,
            impliedGigabytesPerSecond: Double(model.weightByteCount) * decodeRate / 1e9,
            peakResidentMegabytes: ProcessMemory.peakResidentMegabytes)
    }
}
