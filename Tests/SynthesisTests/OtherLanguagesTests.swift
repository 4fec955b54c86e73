import Foundation
import Synthesis
import Testing

/// Zulu, Chichewa, Hausa, Yoruba, Hindi and Urdu: every phoneme is read from its example word and is heard.
@Suite struct OtherLanguagesTests {
    static let languages = Language.allCases.filter { $0 != .english && $0 != .swahili }

    /// (line, symbol, example word) from Lexicons/<lang>/phonemes.
    static func examples(_ language: Language) throws -> [(line: Int, symbol: String, word: String)] {
        let url = TestResources.resources.lexiconFile(language, "phonemes")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [(Int, String, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.prefix { $0 != "#" }.split(whereSeparator: \.isWhitespace)
            if fields.count >= 3 {
                rows.append((index + 1, String(fields[0]).precomposedStringWithCanonicalMapping, String(fields[2])))
            }
        }
        return rows
    }

    @Test(arguments: languages)
    func everyPhonemesExampleWordIsReadWithThatPhoneme(language: Language) throws {
        let pronouncer = try TestResources.pronouncer(language)
        for (line, symbol, word) in try Self.examples(language) {
            let phones = pronouncer.pronounce(word)?.phones.map(\.symbol) ?? []
            #expect(phones.contains(symbol), "phonemes:\(line): '\(word)' is \(phones), without \(symbol)")
        }
    }

    @Test(arguments: languages)
    func everyPhonemeIsHeardWhenItsExampleIsSpoken(language: Language) throws {
        let synthesizer = try TestResources.synthesizer(language)
        for (line, symbol, word) in try Self.examples(language) {
            let utterance = try synthesizer.analyse(word)
            let audio = try synthesizer.synthesize(word)
            let peak = audio.samples.map(abs).max() ?? 0
            var start = 0.0
            for segment in utterance.segments {
                defer { start += segment.durationMilliseconds }
                guard segment.symbol == symbol else { continue }
                let from = Int(start / 1000 * Double(audio.sampleRateHz))
                let to = min(audio.samples.count, Int((start + segment.durationMilliseconds) / 1000 * 16_000))
                let loudest = audio.samples[from..<max(from, to)].map(abs).max() ?? 0
                #expect(loudest > 0.02 * peak, "phonemes:\(line): \(symbol) in '\(word)' is silent")
            }
        }
    }
}
