import Testing

@testable import LanguageModel

@Suite struct SentencePieceTokenizerTests {
    /// <unk>, <s>, </s>, 256 byte tokens, then scored pieces.
    static let tokenizer: SentencePieceTokenizer = {
        var tokens: [[UInt8]] = [Array("<unk>".utf8), Array("<s>".utf8), Array("</s>".utf8)]
        var kinds: [TokenKind] = [.unknown, .control, .control]
        var scores: [Float] = [0, 0, 0]
        for byte in 0..<256 {
            tokens.append(Array(String(format: "<0x%02X>", byte).utf8))
            kinds.append(.byte)
            scores.append(0)
        }
        let pieces: [(String, Float)] = [
            ("▁", -1), ("h", -1), ("e", -1), ("l", -1), ("o", -1), ("ll", -0.5), ("he", -0.6), ("llo", -0.7),
            ("hello", -0.8), ("▁hello", -0.9),
        ]
        for (piece, score) in pieces {
            tokens.append(Array(piece.utf8))
            kinds.append(.normal)
            scores.append(score)
        }
        let vocabulary = TokenVocabulary(
            tokens: tokens, kinds: kinds, scores: scores, bosID: 1, eosID: 2, unknownID: 0, addsBOS: true)
        return SentencePieceTokenizer(vocabulary: vocabulary)
    }()

    static func id(_ text: String) -> TokenID { tokenizer.vocabulary.id(forText: text)! }

    @Test func highestScoringPairsMergeIntoAWholeWordWithASpacePrefixAndBos() {
        #expect(Self.tokenizer.encode("hello") == [1, Self.id("▁hello")])
    }

    @Test func charactersOutsideTheVocabularyFallBackToByteTokens() {
        #expect(
            Self.tokenizer.encode("hi", addSpecial: false, parseSpecial: false) == [
                Self.id("▁"), Self.id("h"), Self.id("<0x69>"),
            ])
        let ids = Self.tokenizer.encode("hé", addSpecial: false, parseSpecial: false)
        #expect(ids.suffix(2) == [Self.id("<0xC3>"), Self.id("<0xA9>")])
    }

    @Test func decodingTurnsTheSpaceMarkBackAndJoinsBytes() {
        let ids = Self.tokenizer.encode("hello hé", addSpecial: true, parseSpecial: false)
        #expect(Self.tokenizer.decode(ids) == " hello hé")
        #expect(Self.tokenizer.decode(ids, includeSpecial: true) == "<s> hello hé")
    }

    @Test func controlTokensInTextAreParsedOnlyWhenAsked() {
        let ids = Self.tokenizer.encode("hello</s>", addSpecial: false, parseSpecial: true)
        #expect(ids == [Self.id("▁hello"), 2])
        #expect(!Self.tokenizer.encode("hello</s>", addSpecial: false, parseSpecial: false).contains(2))
    }
}
