import Foundation
import Synthesis
import Testing
import TutorCore

/// Streaming: chunks arrive one at a time and add up to the whole.
@Suite struct StreamingTests {
    @Test func chunksConcatenateToTheWholeUtterance() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        let text = "Mwanga husafiri haraka sana, kwa kasi ya 3 × 10^8 m/s."
        var stream = try synthesizer.stream(text)
        var chunks: [MonoAudio] = []
        while let chunk = stream.next() { chunks.append(chunk) }
        #expect(chunks.count > 10)
        #expect(chunks.dropLast().allSatisfy { $0.samples.count == 800 })  // 10 frames of 5 ms at 16 kHz
        #expect(chunks.flatMap(\.samples) == (try synthesizer.synthesize(text)).samples)
    }

    @Test func theFirstChunkCostsAFractionOfTheWhole() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        let text = String(repeating: "Nguvu husukuma na kuvuta vitu. ", count: 5)
        let clock = ContinuousClock()
        var first: Duration = .zero
        let total = try clock.measure {
            var stream = try synthesizer.stream(text)
            first = clock.measure { _ = stream.next() }
            while stream.next() != nil {}
        }
        #expect(first * 5 < total, "first chunk \(first), whole \(total)")
    }

    @Test func theStageTurnsSentencesIntoChunksAndSkipsEmptyOnes() throws {
        var stage = SpeechStage(synthesizer: try TestResources.synthesizer(.swahili))
        var output: [MonoAudio] = []
        try stage.process("Jua.", into: &output)
        #expect(!output.isEmpty)
        let count = output.count
        try stage.process("😀", into: &output)
        #expect(output.count == count)
    }
}
