import Foundation
import Testing
import TutorCore

@testable import Recognition

/// The encoder and decoder on a tiny random Whisper (d_model 8, 2 heads, one block each side) against
/// `WhisperReference`, the slow forward pass in Double.
@Suite struct WhisperForwardTests {
    /// A converted tiny random model in a temporary folder (removed by the caller).
    static func tinyModel() throws -> (WhisperModel, TinyWhisperFiles) {
        let files = try TinyWhisperFiles()
        let output = files.directory.appendingPathComponent("tiny.gguf").path
        _ = try WhisperConverter.convert(files.sources, to: output, name: "tiny-test")
        return (try WhisperModel(path: output), files)
    }

    /// Half a second of a chirp with some noise: a spectrogram with structure in every bin.
    static func samples(count: Int = 8000) -> [Float] {
        var generator = SplitMix64(seed: 7)
        return (0..<count).map { i in
            let t = Float(i) / 16_000
            return 0.3 * sin(2 * .pi * (200 + 2000 * t) * t) + Float.random(in: -0.05...0.05, using: &generator)
        }
    }

    static func maximumRelativeError(_ found: [Float], _ expected: [Double]) -> Double {
        let scale = max(1e-6, expected.map(abs).max() ?? 0)
        return zip(found, expected).map { abs(Double($0) - $1) }.max()! / scale
    }

    @Test func theEncoderMatchesTheReferenceOverAnOddNumberOfFrames() throws {
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 2)
        let samples = Self.samples(count: 8000 + 160)  // 51 frames: the stride-2 convolution rounds up to 26
        let mel = recognizer.frontEnd.spectrogram(of: samples)
        #expect(mel.frameCount == 51)
        let encoded = recognizer.encode(samples)
        let expected = WhisperReference(model: model).encode(mel)
        #expect(expected.count == 26)
        #expect(encoded.count == 26 * 8)
        #expect(Self.maximumRelativeError(encoded, expected.flatMap { $0 }) < 1e-3)
    }

    @Test func theDecoderMatchesTheReferenceForABatchedPromptAndThenOneTokenAtATime() throws {
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 2)
        let samples = Self.samples()
        let encoded = recognizer.encode(samples)
        let reference = WhisperReference(model: model)
        let encodedRows = stride(from: 0, to: encoded.count, by: 8).map {
            Array(encoded[$0..<($0 + 8)]).map(Double.init)
        }
        let decoder = recognizer.decoder(encoded: encoded)
        let special = model.tokenizer.special
        var tokens = [special.startOfTranscript, special.firstLanguage, special.transcribe, special.noTimestamps]
        var logits = decoder.evaluate(tokens)
        #expect(Self.maximumRelativeError(logits, reference.logits(tokens: tokens, encoded: encodedRows)) < 1e-3)
        for next in [300, 65, 261] {
            tokens.append(next)
            logits = decoder.evaluate([next])
            #expect(Self.maximumRelativeError(logits, reference.logits(tokens: tokens, encoded: encodedRows)) < 1e-3)
        }
        #expect(decoder.position == 7)
    }

    @Test func aSingleFrameOfAudioEncodesToOnePositionAndStillDecodes() throws {
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        let samples = Self.samples(count: 200)  // 1 frame
        #expect(recognizer.encode(samples).count == 8)
        var options = TranscriptionOptions()
        options.maximumTokenCount = 3
        #expect(try recognizer.transcribe(samples, options: options).tokens.count <= 3)
    }

    @Test func transcribingSilenceOfNoSamplesGivesAnEmptyText() throws {
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        let result = try WhisperRecognizer(model: model, threadCount: 1).transcribe([])
        #expect(result.text.isEmpty && result.tokens.isEmpty)
    }

    @Test func decodingStopsAtTheMaximumTokenCountAndNeverWritesASpecialToken() throws {
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        var options = TranscriptionOptions()
        options.maximumTokenCount = 5
        options.noSpeechThreshold = 1  // keep whatever the random model writes
        options.repetitionCount = 100
        options.repeatedPhraseMinimumTokens = 100
        let result = try WhisperRecognizer(model: model, threadCount: 1).transcribe(Self.samples(), options: options)
        #expect(result.tokens.count <= 5)
        #expect(result.tokens.allSatisfy { !model.tokenizer.isSpecial($0) })
        #expect(result.language == "en" && result.languageProbability == 1)
        #expect(result.averageLogProbability <= 0)
    }

    @Test func aVocabularyBelowWhispersMultilingualSizeIsEnglishOnlyAndRefusesSwahili() throws {
        // Whisper's rule (51,865 ids or more is multilingual): the tiny vocabulary's <|sw|> is not offered.
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        #expect(throws: WhisperTokenizerError.self) {
            try recognizer.transcribe(Self.samples(), options: TranscriptionOptions(language: "sw"))
        }
        #expect(try recognizer.transcribe(Self.samples()).language == "en")
    }

    @Test func anUnknownForcedLanguageIsRefusedWithTheAvailableOnes() throws {
        let (model, files) = try Self.tinyModel()
        defer { files.remove() }
        #expect(throws: WhisperTokenizerError.self) {
            try WhisperRecognizer(model: model, threadCount: 1).transcribe(
                Self.samples(), options: TranscriptionOptions(language: "xx"))
        }
    }
}
