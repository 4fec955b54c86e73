import Testing

@testable import Recognition

/// Beam search on the tiny random Whisper: forks keep their own caches, and the search stays within its limits.
@Suite struct BeamSearchTests {
    @Test func aForkedDecoderGoesOnIndependentlyOfItsParent() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        let encoded = recognizer.encode(WhisperForwardTests.samples())
        let prompt = try model.tokenizer.decoderPrompt(language: nil, timestamps: false)
        let parent = recognizer.decoder(encoded: encoded)
        _ = parent.evaluate(prompt + [300])
        let fork = WhisperDecoder(copying: parent)
        let forkLogits = fork.evaluate([65])
        let parentLogits = parent.evaluate([261])
        // Each must agree with a fresh decoder run over its own whole sequence (batched there, so not bit for bit).
        func error(_ found: [Float], _ sequence: [Int]) -> Double {
            let expected = recognizer.decoder(encoded: encoded).evaluate(sequence).map(Double.init)
            return WhisperForwardTests.maximumRelativeError(found, expected)
        }
        #expect(error(forkLogits, prompt + [300, 65]) < 1e-4)
        #expect(error(parentLogits, prompt + [300, 261]) < 1e-4)
        #expect(error(forkLogits, prompt + [300, 261]) > 1e-2)  // and they did go different ways
        #expect(fork.position == prompt.count + 2 && parent.position == prompt.count + 2)
    }

    @Test func theTopIndicesAreTheLargestFiniteValuesLargestFirst() {
        let values: [Float] = [0.5, -.infinity, 3, 2, 3.5, -1, 2]
        #expect(WhisperRecognizer.topIndices(values, count: 3) == [4, 2, 3])
        #expect(WhisperRecognizer.topIndices([-.infinity, 1], count: 3) == [1])
    }

    @Test func threeBeamsWriteNoSpecialTokensStayWithinTheLimitAndRepeat() throws {
        let (model, files) = try WhisperForwardTests.tinyModel()
        defer { files.remove() }
        let recognizer = try WhisperRecognizer(model: model, threadCount: 1)
        var options = TranscriptionOptions()
        options.beamSize = 3
        options.maximumTokenCount = 5
        options.noSpeechThreshold = 1
        let first = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        let second = try recognizer.transcribe(WhisperForwardTests.samples(), options: options)
        #expect(first.tokens.count <= 5 && !first.tokens.isEmpty)
        #expect(first.tokens.allSatisfy { !model.tokenizer.isSpecial($0) })
        #expect(first.tokens == second.tokens)
        #expect(first.temperature == 0)
    }
}
