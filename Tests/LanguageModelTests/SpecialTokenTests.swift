import Testing

@testable import LanguageModel

@Suite struct SpecialTokenTests {
    static let tokenizer = try! ByteLevelBPETests.tokenizer(
        merges: [], special: [("<|im_start|>", .control), ("<|im_end|>", .control), ("<tool>", .userDefined)])
    static let imStart = tokenizer.vocabulary.id(forText: "<|im_start|>")!
    static let imEnd = tokenizer.vocabulary.id(forText: "<|im_end|>")!
    static let tool = tokenizer.vocabulary.id(forText: "<tool>")!

    @Test func controlTokensInTextAreTheirTokensOnlyWhenParsingSpecial() {
        let text = "<|im_start|>hi<|im_end|>"
        let parsed = Self.tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        #expect(parsed.first == Self.imStart)
        #expect(parsed.last == Self.imEnd)
        #expect(parsed.count == 4)
        let plain = Self.tokenizer.encode(text, addSpecial: false, parseSpecial: false)
        #expect(!plain.contains(Self.imStart))
        #expect(!plain.contains(Self.imEnd))
        #expect(Self.tokenizer.decode(plain) == text)
    }

    @Test func userDefinedTokensAreAlwaysRecognized() {
        let ids = Self.tokenizer.encode("a<tool>b", addSpecial: false, parseSpecial: false)
        #expect(ids.count == 3)
        #expect(ids[1] == Self.tool)
        #expect(Self.tokenizer.decode(ids) == "a<tool>b")
    }

    @Test func adjacentAndRepeatedMarkupSplitsCleanly() {
        let ids = Self.tokenizer.encode("<|im_start|><|im_end|><|im_end|>", addSpecial: false, parseSpecial: true)
        #expect(ids == [Self.imStart, Self.imEnd, Self.imEnd])
        let broken = Self.tokenizer.encode("<|im_start", addSpecial: false, parseSpecial: true)
        #expect(!broken.contains(Self.imStart))
    }

    @Test func longerSpecialTokensWinOverShorterOnesTheyContain() throws {
        let tokenizer = try ByteLevelBPETests.tokenizer(merges: [], special: [("<a>", .control), ("<a><b>", .control)])
        let long = try #require(tokenizer.vocabulary.id(forText: "<a><b>"))
        let short = try #require(tokenizer.vocabulary.id(forText: "<a>"))
        #expect(tokenizer.encode("<a><b><a>", addSpecial: false, parseSpecial: true) == [long, short])
    }

    @Test func bosAndEosAreAddedOnlyWhenTheMetadataAsksAndAddSpecialIsSet() throws {
        let base = Self.tokenizer.vocabulary
        let vocabulary = TokenVocabulary(
            tokens: base.tokens, kinds: base.kinds, bosID: Self.imStart, eosID: Self.imEnd, addsBOS: true, addsEOS: true
        )
        let tokenizer = try BPETokenizer(vocabulary: vocabulary, merges: [], preTokenizer: .gpt2)
        #expect(tokenizer.encode("x", addSpecial: true, parseSpecial: false).first == Self.imStart)
        #expect(tokenizer.encode("x", addSpecial: true, parseSpecial: false).last == Self.imEnd)
        #expect(tokenizer.encode("x", addSpecial: false, parseSpecial: false).count == 1)
        #expect(tokenizer.encode("", addSpecial: true, parseSpecial: false) == [Self.imStart, Self.imEnd])
    }
}

@Suite struct EndOfGenerationTests {
    @Test func endOfTurnMarkupAndEosEndGenerationAndAreTreatedAsControlTokens() {
        let tokens = [Array("a".utf8), Array("</s>".utf8), Array("<|im_end|>".utf8), Array("<|eot_id|>".utf8)]
        let vocabulary = TokenVocabulary(tokens: tokens, eosID: 1)
        #expect(vocabulary.endOfGenerationIDs == [1, 2, 3])
        #expect(vocabulary.kind(of: 2) == .control)
        #expect(vocabulary.kind(of: 0) == .normal)
    }
}
