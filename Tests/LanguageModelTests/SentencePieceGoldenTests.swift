import Foundation
import Testing

@testable import LanguageModel

/// Our SentencePiece tokenizer against llama-tokenize on a small vocabulary of our own (Golden/tiny-spm-vocab.tsv,
/// written into a GGUF by make-golden). Needs no model file, so it always runs.
@Suite struct SentencePieceGoldenTests {
    static func tokenizer() throws -> SentencePieceTokenizer {
        let name = "tiny-spm-vocab.tsv"
        let expected = "escaped piece<TAB>score<TAB>token type"
        var tokens = [[UInt8]]()
        var scores = [Float]()
        var kinds = [TokenKind]()
        for row in try GoldenTokens.rows(of: name, fieldCount: 3, expected: expected) {
            guard let score = Float(row.fields[1]), let raw = Int32(row.fields[2]), let kind = TokenKind(rawValue: raw)
            else { throw GoldenFormatError(file: name, line: row.line, expected: expected) }
            tokens.append(Array(GoldenTokens.unescape(String(row.fields[0])).utf8))
            scores.append(score)
            kinds.append(kind)
        }
        let vocabulary = TokenVocabulary(
            tokens: tokens, kinds: kinds, scores: scores, bosID: 1, eosID: 2, unknownID: 0, addsBOS: true)
        return SentencePieceTokenizer(vocabulary: vocabulary, addsSpacePrefix: true)
    }

    @Test func idsEqualLlamaTokenizeForEveryGoldenText() throws {
        let tokenizer = try Self.tokenizer()
        try GoldenTokens.expectAgreement(
            "tiny-spm-tokens.tsv", label: "SentencePiece", tokenizer: tokenizer, parseSpecial: false)
    }

    @Test func decodingGivesTheTextBackWithTheAddedSpace() throws {
        let tokenizer = try Self.tokenizer()
        for entry in try GoldenTokens.load("tiny-spm-tokens.tsv") where !entry.text.isEmpty {
            #expect(tokenizer.decode(tokenizer.encode(entry.text)) == " " + entry.text, "\(entry.testDescription)")
        }
    }
}
