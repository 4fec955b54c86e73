import Testing

@testable import LanguageModel

@Suite struct ByteLevelBPETests {
    /// Stored (byte-level encoded) text of `text`: a space becomes `Ġ`, a newline `Ċ`.
    static func stored(_ text: String) -> [UInt8] {
        text.utf8.flatMap { ByteLevelEncoding.utf8ForByte[Int($0)] }
    }

    /// A vocabulary of the 256 bytes, then the results of `merges` in order, then the given special tokens.
    static func tokenizer(merges: [(String, String)], special: [(String, TokenKind)] = []) throws -> BPETokenizer {
        var tokens = ByteLevelEncoding.utf8ForByte
        var kinds = Array(repeating: TokenKind.normal, count: 256)
        for (left, right) in merges where !tokens.contains(stored(left + right)) {
            tokens.append(stored(left + right))
            kinds.append(.normal)
        }
        for (text, kind) in special {
            tokens.append(Array(text.utf8))
            kinds.append(kind)
        }
        let mergeLines = merges.map { stored($0.0) + [0x20] + stored($0.1) }
        return try BPETokenizer(
            vocabulary: TokenVocabulary(tokens: tokens, kinds: kinds), merges: mergeLines, preTokenizer: .gpt2)
    }

    @Test func theByteMapIsAPermutationThatKeepsPrintableASCII() {
        #expect(Set(ByteLevelEncoding.scalarForByte).count == 256)
        #expect(ByteLevelEncoding.scalarForByte[0x41] == 0x41)
        #expect(ByteLevelEncoding.scalarForByte[0x20] == 0x120)  // Ġ
        #expect(ByteLevelEncoding.scalarForByte[0x0A] == 0x10A)  // Ċ
        var decoded = [UInt8]()
        ByteLevelEncoding.decode(Self.stored(" é\n"), into: &decoded)
        #expect(decoded == Array(" é\n".utf8))
    }

    @Test func lowerRankedMergesApplyFirst() throws {
        // "ab" outranks "bc": "abc" becomes ab + c, never a + bc.
        let tokenizer = try Self.tokenizer(merges: [("a", "b"), ("b", "c")])
        let ab = try #require(tokenizer.vocabulary.id(forText: "ab"))
        let c = try #require(tokenizer.vocabulary.id(forText: "c"))
        #expect(tokenizer.encode("abc") == [ab, c])
        let reversed = try Self.tokenizer(merges: [("b", "c"), ("a", "b")])
        let bc = try #require(reversed.vocabulary.id(forText: "bc"))
        let a = try #require(reversed.vocabulary.id(forText: "a"))
        #expect(reversed.encode("abc") == [a, bc])
    }

    @Test func equalPairsMergeFromTheLeft() throws {
        let tokenizer = try Self.tokenizer(merges: [("a", "a")])
        let aa = try #require(tokenizer.vocabulary.id(forText: "aa"))
        let a = try #require(tokenizer.vocabulary.id(forText: "a"))
        #expect(tokenizer.encode("aaa") == [aa, a])
        #expect(tokenizer.encode("aaaa") == [aa, aa])
    }

    @Test func mergesBuildOnEarlierMergesAndStayInsideWords() throws {
        let tokenizer = try Self.tokenizer(merges: [(" ", "t"), ("h", "e"), (" t", "he")])
        let the = try #require(tokenizer.vocabulary.id(forText: Self.stored(" the")))
        let t = try #require(tokenizer.vocabulary.id(forText: "t"))
        let he = try #require(tokenizer.vocabulary.id(forText: "he"))
        #expect(tokenizer.encode(" the the") == [the, the])
        // Without a leading space there is no " t" to build on.
        #expect(tokenizer.encode("the") == [t, he])
    }

    @Test func aMalformedMergeIsAnErrorNamingItsIndex() {
        #expect(throws: TokenizerError.malformedMerge(path: "<memory>", index: 0, merge: "ab")) {
            try BPETokenizer(
                vocabulary: TokenVocabulary(tokens: ByteLevelEncoding.utf8ForByte), merges: [Array("ab".utf8)],
                preTokenizer: .gpt2)
        }
    }

    @Test func anyTextSurvivesEncodingAndDecoding() throws {
        let tokenizer = try Self.tokenizer(merges: [("h", "e"), ("l", "l")])
        for text in ["", "hello", "\u{0}\u{7F}\t\r\n", "مرحبا 👋🏽", String(repeating: "ab ", count: 300)] {
            #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }
}
