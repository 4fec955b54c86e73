import Testing

@testable import LanguageModel

@Suite struct PreTokenizerTests {
    /// The words `rule` splits `text` into.
    static func words(_ text: String, _ rule: PreTokenizer) -> [String] {
        let scalars = text.unicodeScalars.map(\.value)
        let classes = scalars.map(ScalarClass.of)
        var ends = [Int]()
        scalars.withUnsafeBufferPointer { scalarBuffer in
            classes.withUnsafeBufferPointer { rule.split(scalarBuffer, classes: $0, into: &ends) }
        }
        var words = [String]()
        var start = 0
        for end in ends {
            var word = String.UnicodeScalarView()
            for value in scalars[start..<end] { word.append(Unicode.Scalar(value)!) }
            words.append(String(word))
            start = end
        }
        return words
    }

    @Test func gpt2KeepsALeadingSpaceWithTheWordAndSplitsContractions() {
        #expect(Self.words("Hello world, it's 2024!", .gpt2) == ["Hello", " world", ",", " it", "'s", " 2024", "!"])
    }

    @Test func gpt2LeavesTheLastSpaceOfARunToTheNextWord() {
        #expect(Self.words("a   b  ", .gpt2) == ["a", "  ", " b", "  "])
        #expect(Self.words("x\n\n  y", .gpt2) == ["x", "\n\n ", " y"])
    }

    @Test func smolLMIsolatesEveryDigitAndKeepsSpacesBeforeDigitsApart() {
        #expect(Self.words("9.8 m/s²", .smollm) == ["9", ".", "8", " m", "/", "s", "²"])
        #expect(Self.words("3,000", .smollm) == ["3", ",", "0", "0", "0"])
        #expect(Self.words("x  12", .smollm) == ["x", "  ", "1", "2"])
    }

    @Test func marksAreNotLettersSoHindiVowelSignsSplitFromConsonants() {
        // न (letter) ी (spacing mark) ल (letter) ा (spacing mark)
        #expect(Self.words("नीला", .gpt2) == ["न", "ी", "ल", "ा"])
    }

    @Test func qwen2TakesOnePunctuationCharacterBeforeLettersAndKeepsNewlinesWithPunctuation() {
        #expect(Self.words("Hi!\n\nWhy? (yes)", .qwen2) == ["Hi", "!\n\n", "Why", "?", " (", "yes", ")"])
        #expect(Self.words("$x 12 DON'T", .qwen2) == ["$x", " ", "1", "2", " DON", "'T"])
        #expect(Self.words("a \n b", .qwen2) == ["a", " \n", " b"])
    }

    @Test func llama3GroupsDigitsInThrees() {
        #expect(Self.words("1234567", .llama3) == ["123", "456", "7"])
    }

    @Test func metadataNamesMapToRulesAndUnknownNamesAreRefused() {
        #expect(PreTokenizer(metadataName: nil) == .gpt2)
        #expect(PreTokenizer(metadataName: "default") == .gpt2)
        #expect(PreTokenizer(metadataName: "smollm") == .smollm)
        #expect(PreTokenizer(metadataName: "qwen2") == .qwen2)
        #expect(PreTokenizer(metadataName: "llama-bpe") == .llama3)
        #expect(PreTokenizer(metadataName: "deepseek-coder") == nil)
    }
}
