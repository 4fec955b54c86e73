import Foundation
import Testing
import TutorCore

@testable import Recognition

/// Tokenizer behaviour that needs no real model (a small hand-made vocabulary).
@Suite struct ByteLevelTokenizerTests {
    @Test func everyByteHasItsOwnPrintableCharacterAndBack() {
        let table = ByteLevelBPE.byteToCharacter
        #expect(Set(table).count == 256)
        #expect(table[Int(UInt8(ascii: " "))] == "Ġ")
        #expect(table[Int(UInt8(ascii: "\n"))] == "Ċ")
        #expect(table[Int(UInt8(ascii: "a"))] == "a")
        for (byte, character) in table.enumerated() {
            #expect(ByteLevelBPE.characterToByte[character.unicodeScalars.first!.value] == UInt8(byte))
        }
    }

    @Test func pretokenizingSplitsAsGPT2sPatternDoes() {
        let pieces = ByteLevelBPE.pretokenize("Hello world's 123 apples!!  \n  ok  ").map(String.init)
        #expect(pieces == ["Hello", " world", "'s", " 123", " apples", "!!", "  \n ", " ok", "  "])
        #expect(
            ByteLevelBPE.pretokenize("Nguvu ni kani, au? Ndiyo.").map(String.init)
                == ["Nguvu", " ni", " kani", ",", " au", "?", " Ndiyo", "."])
        #expect(ByteLevelBPE.pretokenize("they'll don't").map(String.init) == ["they", "'ll", " don", "'t"])
        #expect(ByteLevelBPE.pretokenize("").isEmpty)
    }

    @Test func handMadeVocabularyEncodesByRankAndDecodesBack() throws {
        let (tokens, merges, _) = TinyWhisperFiles.vocabulary()
        let tokenizer = try WhisperTokenizer(tokens: tokens, merges: merges, path: "hand-made")
        #expect(tokenizer.mergesFollowTokenIDs)
        #expect(tokenizer.mergesImpliedByTokenIDs() == merges)
        let shuffled = try WhisperTokenizer(tokens: tokens, merges: merges.reversed(), path: "hand-made")
        #expect(!shuffled.mergesFollowTokenIDs)
        let ids = tokenizer.encode(" the cat is")
        #expect(ids.map { tokenizer.tokens[$0] } == ["Ġthe", "Ġ", "c", "a", "t", "Ġ", "is"])
        #expect(tokenizer.decode(ids) == " the cat is")
        #expect(tokenizer.languageCodes == ["en", "sw"])
        #expect(tokenizer.languageToken(for: "sw") == tokenizer.special.firstLanguage + 1)
        #expect(tokenizer.timestampSeconds(ofToken: tokenizer.special.timestampBegin + 150) == 3.0)
        #expect(tokenizer.timestampToken(seconds: 29.99) == tokenizer.count - 1)
        let withSpecial = [tokenizer.special.startOfTranscript] + ids + [tokenizer.special.endOfText]
        #expect(tokenizer.decode(withSpecial) == " the cat is")
        #expect(
            tokenizer.decode(withSpecial, includingSpecial: true) == "<|startoftranscript|> the cat is<|endoftext|>")
    }

    @Test func aVocabularyWithoutTimestampsIsRefusedWithItsPath() throws {
        let (tokens, merges, _) = TinyWhisperFiles.vocabulary()
        let error = #expect(throws: WhisperTokenizerError.self) {
            try WhisperTokenizer(tokens: Array(tokens.dropLast(3)), merges: merges, path: "short.txt")
        }
        #expect(error?.description.hasPrefix("short.txt: 1498 timestamp tokens") == true)
    }
}

/// The real tokenizers of tiny.en and base, from the model cache (skipped when absent, unless CI=true).
@Suite struct RealWhisperTokenizerTests {
    static let models = TutorPaths.cacheDirectory().appendingPathComponent("models")
    static let shouldRun =
        FileManager.default.fileExists(atPath: models.appendingPathComponent("whisper-base/tokenizer.json").path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    static func tokenizer(_ name: String) throws -> WhisperTokenizer {
        let folder = models.appendingPathComponent(name)
        return try WhisperTokenizer(
            tokenizerJSON: folder.appendingPathComponent("tokenizer.json"),
            vocabularyText: folder.appendingPathComponent("vocabulary.txt"))
    }

    @Test(.enabled(if: shouldRun, "needs the Whisper tokenizers in the cache (run the model fetch step)"))
    func englishRoundTripsThroughTinyEnAndBase() throws {
        let text = " Why does a metal spoon feel colder than a wooden one? Because metal conducts heat 10x faster!"
        for name in ["whisper-tiny.en", "whisper-base"] {
            let tokenizer = try Self.tokenizer(name)
            let ids = tokenizer.encode(text)
            #expect(tokenizer.decode(ids) == text, "\(name)")
            #expect(ids.count < text.utf8.count / 3, "\(name): \(ids.count) tokens")
            #expect(!ids.contains { tokenizer.isSpecial($0) })
        }
    }

    @Test(.enabled(if: shouldRun, "needs the Whisper tokenizers in the cache (run the model fetch step)"))
    func swahiliAndOtherScriptsRoundTripThroughBase() throws {
        let tokenizer = try Self.tokenizer("whisper-base")
        for text in [
            " Kwa nini anga ni la buluu? Mwanga wa jua unatawanywa na hewa.", " Nguvu ya mvutano inavuta vitu chini.",
            " पानी उबलता क्यों है?", " ہوا کیوں چلتی ہے؟", " Ìdí tí omi fi ń hó?", "naïve café — 9.8 m/s²",
        ] {
            #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }

    @Test(.enabled(if: shouldRun, "needs the Whisper tokenizers in the cache (run the model fetch step)"))
    func knownEncodingsMatchWhisper() throws {
        let tokenizer = try Self.tokenizer("whisper-tiny.en")
        // " Hello world" is 18435, 995 in GPT-2's vocabulary, which tiny.en shares.
        #expect(tokenizer.encode(" Hello world") == [18435, 995])
        #expect(tokenizer.encode(" the") == [262])
    }

    @Test(.enabled(if: shouldRun, "needs the Whisper tokenizers in the cache (run the model fetch step)"))
    func specialTokensAndLanguageTablesDifferByOneBetweenTheModels() throws {
        let english = try Self.tokenizer("whisper-tiny.en")
        let base = try Self.tokenizer("whisper-base")
        #expect(english.special.endOfText == 50256)
        #expect(english.special.startOfTranscript == 50257)
        #expect(english.special.transcribe == 50358)
        #expect(english.special.noTimestamps == 50362)
        #expect(english.special.timestampBegin == 50363)
        #expect(english.count == 51864)
        #expect(base.special.endOfText == 50257)
        #expect(base.special.startOfTranscript == 50258)
        #expect(base.special.translate == 50358)
        #expect(base.special.transcribe == 50359)
        #expect(base.special.noSpeech == 50362)
        #expect(base.special.noTimestamps == 50363)
        #expect(base.special.timestampBegin == 50364)
        #expect(base.count == 51865)
        #expect(base.languageCodes.count == 99)
        #expect(base.languageToken(for: "en") == 50259)
        for code in ["sw", "ha", "yo", "hi", "ur", "am"] {
            let id = try #require(base.languageToken(for: code), "\(code)")
            #expect(base.tokens[id] == "<|\(code)|>")
            #expect(base.languageCode(ofToken: id) == code)
        }
        #expect(base.languageToken(for: "ny") == nil)
        #expect(base.decode([base.timestampToken(seconds: 1.5)], includingSpecial: true) == "<|1.50|>")
    }
}

/// The decoder prompt's special tokens, on the hand-made vocabulary and the real ones.
@Suite struct DecoderPromptTests {
    @Test func anEnglishOnlyVocabularyGetsNoLanguageOrTaskToken() throws {
        let (tokens, merges, _) = TinyWhisperFiles.vocabulary()
        let tokenizer = try WhisperTokenizer(tokens: tokens, merges: merges, path: "hand-made")
        #expect(!tokenizer.isMultilingual)
        let special = tokenizer.special
        #expect(
            try tokenizer.decoderPrompt(language: nil, timestamps: false)
                == [special.startOfTranscript, special.noTimestamps])
        #expect(try tokenizer.decoderPrompt(language: "en", timestamps: true) == [special.startOfTranscript])
        #expect(throws: WhisperTokenizerError.unknownLanguage(path: "hand-made", code: "sw", available: ["en"])) {
            try tokenizer.decoderPrompt(language: "sw", timestamps: false)
        }
    }

    @Test(.enabled(if: RealWhisperTokenizerTests.shouldRun, "needs the Whisper tokenizers in the cache"))
    func baseGetsLanguageTaskAndAPreviousTextPrompt() throws {
        let tokenizer = try RealWhisperTokenizerTests.tokenizer("whisper-base")
        #expect(try tokenizer.decoderPrompt(language: "sw", timestamps: false) == [50258, 50318, 50359, 50363])
        #expect(
            try tokenizer.decoderPrompt(language: "sw", task: .translate, timestamps: true) == [50258, 50318, 50358])
        let prompt = try tokenizer.decoderPrompt(language: "en", timestamps: false, previousText: " friction, gravity")
        #expect(prompt.first == tokenizer.special.startOfPrevious)
        #expect(tokenizer.decode(prompt) == " friction, gravity")
        #expect(Array(prompt.suffix(4)) == [50258, 50259, 50359, 50363])
        #expect(throws: WhisperTokenizerError.self) { try tokenizer.decoderPrompt(language: "ny", timestamps: false) }
    }
}

/// Encoding against Scripts/golden/whisper-tokens.py, an independent Python encoder using the `regex` module's real
/// Unicode classes for GPT-2's pattern (Golden/whisper-tokens.tsv).
@Suite struct GoldenTokenTests {
    @Test(.enabled(if: RealWhisperTokenizerTests.shouldRun, "needs the Whisper tokenizers in the cache"))
    func encodingMatchesTheIndependentPythonEncoderForEveryGoldenLine() throws {
        let folder = try #require(Bundle.module.url(forResource: "Golden", withExtension: nil))
        let lines = try String(contentsOf: folder.appendingPathComponent("whisper-tokens.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
        var tokenizers: [String: WhisperTokenizer] = [:]
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let model = fields[0]
            let text = try #require(
                try JSONSerialization.jsonObject(with: Data(fields[1].utf8), options: .fragmentsAllowed) as? String)
            let expected = fields[2].split(separator: " ").map { Int($0)! }
            if tokenizers[model] == nil { tokenizers[model] = try RealWhisperTokenizerTests.tokenizer(model) }
            let tokenizer = try #require(tokenizers[model])
            #expect(tokenizer.encode(text) == expected, "\(model): \(fields[1])")
            #expect(tokenizer.decode(expected) == text, "\(model): \(fields[1])")
        }
        #expect(lines.count == 26)
    }
}

@Suite struct TimestampSegmentTests {
    static func tokenizer() throws -> WhisperTokenizer {
        let (tokens, merges, _) = TinyWhisperFiles.vocabulary()
        return try WhisperTokenizer(tokens: tokens, merges: merges, path: "hand-made")
    }

    @Test func timestampPairsSplitTextIntoSegments() throws {
        let tokenizer = try Self.tokenizer()
        let t = { tokenizer.timestampToken(seconds: $0) }
        let ids =
            [tokenizer.special.startOfTranscript, t(0)] + tokenizer.encode(" the cat") + [t(1.5), t(1.5)]
            + tokenizer.encode(" is") + [t(2.98), tokenizer.special.endOfText]
        #expect(
            tokenizer.segments(ids) == [
                WhisperTextSegment(startSeconds: 0, endSeconds: 1.5, text: " the cat"),
                WhisperTextSegment(startSeconds: 1.5, endSeconds: 2.98, text: " is"),
            ])
    }

    @Test func anUnfinishedSegmentEndsWhereItStarts() throws {
        let tokenizer = try Self.tokenizer()
        let ids = [tokenizer.timestampToken(seconds: 4)] + tokenizer.encode(" the")
        #expect(tokenizer.segments(ids) == [WhisperTextSegment(startSeconds: 4, endSeconds: 4, text: " the")])
        #expect(
            tokenizer.segments(tokenizer.encode(" is")) == [
                WhisperTextSegment(startSeconds: 0, endSeconds: 0, text: " is")
            ])
    }

    @Test(.enabled(if: RealWhisperTokenizerTests.shouldRun, "needs the Whisper tokenizers in the cache"))
    func nonSpeechTokensCoverBracketsMusicAndDialogueDashes() throws {
        let tokenizer = try RealWhisperTokenizerTests.tokenizer("whisper-base")
        let suppressed = Set(tokenizer.nonSpeechTokens)
        for text in [" -", "[", " [", "(", "♪", " ♪", "#", "*"] {
            let first = try #require(tokenizer.encode(text).first)
            #expect(suppressed.contains(first), "\(text)")
        }
        for text in [" the", " a", ".", ",", "?", " Why", "'s"] {
            #expect(!suppressed.contains(tokenizer.encode(text)[0]), "\(text)")
        }
        #expect(suppressed.count > 50 && suppressed.count < 150)
    }
}
