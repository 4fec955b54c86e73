import Foundation
import Testing

@testable import Recognition

/// Forced decoding of candidate texts on the tiny random Whisper, against sums of the reference's log-probabilities.
@Suite struct PhraseScoringTests {
    static func referenceLogProbability(
        _ reference: WhisperReference, prefix: [Int], target: Int, encoded: [[Double]]
    )
        -> Double
    {
        let logits = reference.logits(tokens: prefix, encoded: encoded)
        let maximum = logits.max()!
        var sum: Double = 0
        for value in logits { sum += exp(value - maximum) }
        return logits[target] - maximum - log(sum)
    }

    @Test func eachCandidatesScoreIsTheSumOfItsTokensLogProbabilitiesAndEndOfText() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        let samples = WhisperForwardTests.samples()
        let scores = try recognizer.scorePhrases(samples, candidates: ["the", "is a the"])
        #expect(scores.map(\.text) == ["the", "is a the"])

        let encoded = recognizer.encode(samples)
        let rows = stride(from: 0, to: encoded.count, by: 8).map { Array(encoded[$0..<($0 + 8)]).map(Double.init) }
        let reference = WhisperReference(model: model)
        let prompt = try model.tokenizer.decoderPrompt(language: nil, timestamps: false)
        for (candidate, score) in zip(["the", "is a the"], scores) {
            let targets = model.tokenizer.encode(" " + candidate) + [model.tokenizer.special.endOfText]
            var expected: Double = 0
            for (i, target) in targets.enumerated() {
                expected += Self.referenceLogProbability(
                    reference, prefix: prompt + targets.prefix(i), target: target, encoded: rows)
            }
            #expect(score.tokenCount == targets.count)
            #expect(abs(Double(score.logProbability) - expected) < 1e-3 * max(1, abs(expected)))
        }
    }

    /// More candidates than fit one decoder pass: candidates sharing a prefix, a repeat and different lengths, split
    /// across passes, each scored as it is alone.
    @Test func candidatesBatchedAcrossDecoderPassesScoreAsTheyDoAlone() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        var recognizer = try WhisperRecognizer(model: model, threadCount: 2)
        recognizer.scoringBatchRows = 12
        let samples = WhisperForwardTests.samples()
        let words = ["the", "is", "a"]
        let candidates = (0..<14).map { i in (0...(i % 9)).map { words[($0 * 7 + i) % 3] }.joined(separator: " ") }
        let rows = candidates.map { model.tokenizer.encode(" " + $0).count }.reduce(0, +)
        #expect(rows > 3 * recognizer.scoringBatchRows, "\(rows) rows fit three passes")
        let together = try recognizer.scorePhrases(samples, candidates: candidates)
        for (candidate, score) in zip(candidates, together) {
            let alone = try recognizer.scorePhrases(samples, candidates: [candidate])[0]
            #expect(score.tokenCount == alone.tokenCount)
            #expect(abs(score.logProbability - alone.logProbability) < 1e-3 * max(1, abs(alone.logProbability)))
        }
    }

    @Test func noAudioScoresEveryCandidateMinusInfinity() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let scores = try WhisperRecognizer(model: model, threadCount: 1).scorePhrases([], candidates: ["the"])
        #expect(scores.first?.logProbability == -.infinity)
    }

    @Test func aLongPromptAndALongCandidateAreCutToTheTextContext() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let long = String(repeating: "is the a ", count: 200)  // hundreds of tokens each
        let scores = try WhisperRecognizer(model: model, threadCount: 1).scorePhrases(
            WhisperForwardTests.samples(), candidates: [long], initialPrompt: long)
        let prompt = try model.tokenizer.decoderPrompt(language: nil, timestamps: false, previousText: long)
        #expect(scores[0].tokenCount == 448 - prompt.count + 1)
        #expect(scores[0].logProbability.isFinite)
    }
}
