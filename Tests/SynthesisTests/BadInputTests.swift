import Foundation
import Synthesis
import Testing

/// Empty text, very long text, emoji, mixed scripts and unknown languages give clear errors or sensible speech.
@Suite struct BadInputTests {
    @Test func emptyTextIsNothingToSay() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        #expect(throws: SynthesisError.nothingToSay(text: "")) { try synthesizer.synthesize("") }
        #expect(throws: SynthesisError.nothingToSay(text: "  ...  ")) { try synthesizer.synthesize("  ...  ") }
    }

    @Test func onlyEmojiIsNothingToSay() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        #expect(throws: SynthesisError.nothingToSay(text: "😀🚀")) { try synthesizer.synthesize("😀🚀") }
    }

    @Test func emojiAmongWordsAreDropped() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        let utterance = try synthesizer.analyse("Roketi 🚀 inaruka juu!")
        #expect(utterance.normalizedText == "roketi inaruka juu!")
    }

    @Test func wordsInAnotherScriptAreSkippedAndReported() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        let utterance = try synthesizer.analyse("Jua ni 太阳 moto.")
        #expect(utterance.skippedWords == ["太阳"])
        #expect(utterance.phrases[0].words.map(\.text) == ["jua", "ni", "moto"])
    }

    @Test func tenThousandCharactersAreAnalysedQuickly() throws {
        let synthesizer = try TestResources.synthesizer(.swahili)
        let text = String(String(repeating: "Nguvu ya mvuto ni 9.8 N kwa kilo. ", count: 300).prefix(10_000))
        let clock = ContinuousClock()
        var utterance: Utterance?
        let elapsed = try clock.measure { utterance = try synthesizer.analyse(text) }
        #expect((utterance?.phrases.count ?? 0) > 250)
        #expect(elapsed < .seconds(10))
        // The first chunk is ready without rendering the rest.
        var stream = try synthesizer.stream(text)
        #expect(stream.next()?.samples.isEmpty == false)
    }

    @Test func anUnknownLanguageCodeNamesTheSupportedOnes() {
        #expect(throws: SynthesisError.self) { try Language(code: "xx") }
        do {
            _ = try Language(code: "xx")
        } catch {
            #expect("\(error)" == "unknown language code 'xx'; supported: en, sw, zu, ny, ha, yo, hi, ur")
        }
        #expect((try? Language(code: "SW")) == .swahili)
        #expect((try? Language(code: "Yo")) == .yoruba)
    }

    @Test func anOutOfRangeRateIsRejected() throws {
        #expect(throws: SynthesisError.invalidOption(name: "rate", value: "0.0", expected: "0.3-3")) {
            try TestResources.synthesizer(.swahili, rate: 0)
        }
    }

    @Test func anUnsupportedSampleRateIsRejected() throws {
        #expect(throws: SynthesisError.self) { try TestResources.synthesizer(.swahili, sampleRateHz: 4000) }
    }
}
