import Foundation
import Testing

@testable import Recognition

@Suite struct CompressionRatioTests {
    /// Sizes from `len(zlib.compress(text.encode()))` in Python 3.11 (zlib, level 6), printed once and copied here.
    static let zlibByteCounts: [(text: String, bytes: Int)] = [
        ("Why is the sky blue?", 28),
        (String(repeating: "Why isn't the sky blue? ", count: 31), 39),
        (Array(repeating: "the", count: 15).joined(separator: " "), 15),
        ("Front, right, right, right, front", 23),
        (
            "How does a torch make light? It makes light when electricity flows through a thin wire and heats it "
                + "until it glows.", 93
        ),
        ("Wani Ling Peppong Ha Phum Ha Phum Ha", 33),
    ]

    /// Loops and short texts within a byte of zlib; a long plain sentence, where zlib's dynamic Huffman table pays
    /// off, larger by at most a fifth (so its ratio is lower, further from the threshold).
    @Test func comesWithinAByteOfZlibOnLoopsAndShortTexts() {
        for (text, expected) in Self.zlibByteCounts {
            let bytes = CompressionRatio.zlibByteCount(Array(text.utf8))
            let slack = text.utf8.count > 100 && CompressionRatio.of(text) < 1.5 ? expected / 5 : 1
            #expect(
                bytes >= expected - 1 && bytes <= expected + slack, "\(text.prefix(30)): \(bytes), zlib \(expected)")
            #expect(abs(CompressionRatio.of(text) - Double(text.utf8.count) / Double(bytes)) < 1e-12)
        }
        #expect(CompressionRatio.of("") == 0)
    }

    @Test func aLoopIsAboveWhispersThresholdAndAQuestionBelowIt() {
        let threshold = TranscriptionOptions.default.compressionRatioThreshold
        #expect(CompressionRatio.of(String(repeating: "Why isn't the sky blue? ", count: 8)) > threshold)
        #expect(CompressionRatio.of("Why does my bicycle slow down when I stop pedalling?") < threshold)
    }

    @Test func theCodeLengthsFollowDeflatesFixedTable() {
        #expect(CompressionRatio.lengthBits(3) == 7 && CompressionRatio.lengthBits(11) == 8)
        #expect(CompressionRatio.lengthBits(115) == 8 + 4 && CompressionRatio.lengthBits(258) == 8)
        #expect(CompressionRatio.distanceBits(4) == 5 && CompressionRatio.distanceBits(5) == 6)
        #expect(CompressionRatio.distanceBits(32_768) == 5 + 13)
        // One literal: 3 header bits, 8 literal bits, 7 end bits = 18 bits, 3 bytes, plus zlib's 6.
        #expect(CompressionRatio.zlibByteCount(Array("a".utf8)) == 9)
    }

    @Test func aLoopingGreedyResultFallsBackToSampledTextThatDoesNotCompressLikeALoop() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        var options = TranscriptionOptions()
        options.temperatures = TranscriptionOptions.whisperTemperatures
        options.logProbabilityThreshold = -.infinity  // only the compression ratio decides
        options.noSpeechThreshold = 1
        options.repetitionCount = 1000  // let the random model loop
        options.repeatedPhraseMinimumTokens = 1000
        options.maximumTokenCount = 40
        options.compressionRatioThreshold = .infinity
        let greedy = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        #expect(greedy.temperature == 0)
        #expect(greedy.compressionRatio > 2.4, "the random model's greedy text: \(greedy.text)")
        options.compressionRatioThreshold = 2.4
        let guarded = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        #expect(guarded.temperature > 0)
        #expect(guarded.compressionRatio <= 2.4, "kept: \(guarded.text)")
    }
}
