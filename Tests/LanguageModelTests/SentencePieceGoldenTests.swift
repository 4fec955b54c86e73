import Foundation
import Testing

@testable import LanguageModel

/// Our SentencePiece tokenizer against llama-tokenize on a small vocabulary of our own (Golden/tiny-spm-vocab.tsv,
/// written into a GGUF by make-golden). Needs no model file, so it always runs.
@Suite struct SentencePieceGoldenTests {
    static func tokenizer() throws -> SentencePieceTokenizer {
        let contents = try String(contentsOf: TestModels.golden("tiny-spm-vocab.tsv"), encoding: .utf8)
        var tokens = [[UInt8]]()
        var scores = [Float]()
        var kinds = [TokenKind]()
        for (index, line) in contents.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let score = Float(fields[1]), let raw = Int32(fields[2]),
                let kind = TokenKind(rawValue: raw)
            else { throw GoldenFormatError(file: "tiny-spm-vocab.tsv", line: index + 1) }
            tokens.append(Array(GoldenTokens.unescape(String(fields[0])).utf8))
            scores.append(score)
            kinds.append(kind)
        }
        let vocabulary = TokenVocabulary(
            tokens: tokens, kinds: kinds, scores: scores, bosID: 1, eosID: 2, unknownID: 0, addsBOS: true)
        return SentencePieceTokenizer(vocabulary: vocabulary, addsSpacePrefix: true)
    }

    @Test func idsEqualLlamaTokenizeForEveryGoldenText() throws {
        let tokenizer = try Self.tokenizer()
        let golden = try GoldenTokens.load("tiny-spm-tokens.tsv")
        #expect(golden.count >= 25)
        var agreeing = 0
        for entry in golden {
            let ids = tokenizer.encode(entry.text, addSpecial: true, parseSpecial: false)
            #expect(ids == entry.ids, "\(entry.testDescription)")
            if ids == entry.ids { agreeing += 1 }
        }
        print("golden agreement, SentencePiece: \(agreeing)/\(golden.count)")
    }

    @Test func decodingGivesTheTextBackWithTheAddedSpace() throws {
        let tokenizer = try Self.tokenizer()
        for entry in try GoldenTokens.load("tiny-spm-tokens.tsv") where !entry.text.isEmpty {
            #expect(tokenizer.decode(tokenizer.encode(entry.text)) == " " + entry.text, "\(entry.testDescription)")
        }
    }
}
