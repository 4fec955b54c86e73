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

/// Tone marks in the curated spelling become pitch: high above low, falling moving down, downdrift over a phrase.
@Suite struct ToneTests {
    func vowels(_ language: Language, _ text: String) throws -> [Segment] {
        try TestResources.synthesizer(language).analyse(text).segments.filter {
            $0.target?.phonemeClass.isSyllabic == true
        }
    }

    @Test func hausaLowToneIsSpokenLowerThanTheHighToneBeforeIt() throws {
        // fi-tì-lā: high, low, long high.
        let word = try vowels(.hausa, "fitìlā")
        #expect(word.map(\.symbol) == ["i", "i", "aː"])
        #expect(word[1].startPitchHz < 0.85 * word[0].startPitchHz)
        #expect(word[2].startPitchHz > word[1].startPitchHz)
    }

    @Test func yorubaLowMidAndHighRiseInThatOrderAgainstTheDecliningLine() throws {
        let word = try vowels(.yoruba, "bà ba bá dé")
        #expect(word.map { $0.symbol } == ["a", "a", "a", "e"])
        #expect(word[0].startPitchHz < 0.9 * word[1].startPitchHz)
        #expect(word[1].startPitchHz < 0.9 * word[2].startPitchHz)
    }

    @Test func aFallingToneFallsWithinItsVowel() throws {
        let vowel = try vowels(.hausa, "shâ ruwa").first!
        #expect(vowel.endPitchHz < 0.8 * vowel.startPitchHz)
    }

    @Test func aLongVowelIsLongerThanAShortOne() throws {
        let word = try vowels(.hausa, "ƙasā tana")
        #expect(word[1].durationMilliseconds > 1.5 * word[0].durationMilliseconds)
    }

    @Test func equalHighTonesDriftDownAcrossAStatement() throws {
        let high = try vowels(.hausa, "sama sama sama sama sama.")
        #expect(high.first!.startPitchHz > high.dropLast().last!.startPitchHz)
    }

    @Test func toneLinesInARuleFileAreCheckedWithTheLine() throws {
        let inventory = try PhonemeInventory.parse("a vowel\nk stop\n", path: "inv")
        let rules = try LetterToSoundRules(
            text: "stress none\ntone à = low\ntone unmarked = high\n[a] = a\n[k] = k\n", path: "r", inventory: inventory
        )
        #expect(rules.pronounce("kàka").map(formatPhones) == "k à k á")
        #expect(
            throws: SynthesisError.invalidLine(
                path: "r", line: 2,
                reason:
                    "expected 'tone à = low' or 'tone unmarked = mid' with a tone of: high, mid, low, falling, rising")
        ) {
            try LetterToSoundRules(text: "stress none\ntone à = lowish\n[a] = a\n", path: "r", inventory: inventory)
        }
    }
}
