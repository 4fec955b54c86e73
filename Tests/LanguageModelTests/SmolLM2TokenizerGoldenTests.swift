import Foundation
import GGUF
import Testing

@testable import LanguageModel

/// Our tokenizer against llama.cpp's llama-tokenize on the real SmolLM2 vocabulary (Golden/README.md).
@Suite(.enabled(if: TestModels.hasSmolLM2, "needs the SmolLM2 model in the cache (run the model fetch step)"))
struct SmolLM2TokenizerGoldenTests {
    static let tokenizer: Result<Tokenizer, any Error> = Result {
        try Tokenizer(file: GGUFFile(path: TestModels.smolLM2Path))
    }

    @Test func smolLM2IsReadAsByteLevelBPEWithTheSmolLMPreTokenizer() throws {
        let tokenizer = try Self.tokenizer.get()
        let bpe = try #require(tokenizer.base as? BPETokenizer)
        #expect(bpe.preTokenizer == .smollm)
        #expect(tokenizer.vocabulary.count == 49_152)
        #expect(tokenizer.vocabulary.bosID == 1)
        #expect(tokenizer.vocabulary.eosID == 2)
        #expect(tokenizer.vocabulary.addsBOS == false)
        #expect(tokenizer.vocabulary.kind(of: 1) == .control)
        // Only byte symbols for bytes that valid text rarely or never holds (controls, C0, C1, F5-FF) are missing.
        #expect(bpe.extraSymbols.allSatisfy { String(decoding: $0, as: UTF8.self).unicodeScalars.count == 1 })
    }

    @Test func idsEqualLlamaTokenizeForEveryGoldenTextWithSpecialTokensAsPlainText() throws {
        let tokenizer = try Self.tokenizer.get()
        try GoldenTokens.expectAgreement(
            "smollm2-tokens.tsv", label: "special tokens as text", tokenizer: tokenizer, parseSpecial: false)
    }

    @Test func idsEqualLlamaTokenizeForEveryGoldenTextWithSpecialTokensParsed() throws {
        let tokenizer = try Self.tokenizer.get()
        try GoldenTokens.expectAgreement(
            "smollm2-tokens-special.tsv", label: "special tokens parsed", tokenizer: tokenizer, parseSpecial: true)
    }

    /// llama-tokenize on SmolLM2's vocabulary with `tokenizer.ggml.pre` set to `name` (no Qwen2 or Llama 3 model is
    /// at hand; their splitting rules are what differ).
    @Test(arguments: [
        (PreTokenizer.gpt2, "smollm2-vocab-gpt2.tsv"), (.qwen2, "smollm2-vocab-qwen2.tsv"),
        (.llama3, "smollm2-vocab-llama-bpe.tsv"),
    ])
    func otherSplittingRulesGiveLlamaTokenizesIdsOnTheSameVocabulary(rule: PreTokenizer, file: String) throws {
        let tokenizer = try BPETokenizer(file: GGUFFile(path: TestModels.smolLM2Path), preTokenizer: rule)
        try GoldenTokens.expectAgreement(
            file, label: "\(rule.rawValue) rule", tokenizer: tokenizer, parseSpecial: false)
    }

    @Test func decodingTheEncodingOfEveryGoldenTextGivesTheTextBack() throws {
        let tokenizer = try Self.tokenizer.get()
        for entry in try GoldenTokens.load("smollm2-tokens.tsv") {
            let plain = tokenizer.encode(entry.text, addSpecial: true, parseSpecial: false)
            #expect(tokenizer.decode(plain) == entry.text, "\(entry.testDescription)")
            let special = tokenizer.encode(entry.text, addSpecial: true, parseSpecial: true)
            #expect(tokenizer.decode(special, includeSpecial: true) == entry.text, "\(entry.testDescription)")
        }
    }

    @Test func decodingDropsControlTokensUnlessAskedToKeepThem() throws {
        let tokenizer = try Self.tokenizer.get()
        let ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>", addSpecial: false, parseSpecial: true)
        #expect(ids.first == 1)
        #expect(ids.last == 2)
        #expect(tokenizer.decode(ids) == "user\nHi")
        #expect(tokenizer.decode(ids, includeSpecial: true) == "<|im_start|>user\nHi<|im_end|>")
    }

    @Test func aTwoThousandCharacterPromptTokenizesInUnderTenMillisecondsInRelease() throws {
        let tokenizer = try Self.tokenizer.get()
        let paragraph = try #require(
            try GoldenTokens.load("smollm2-tokens.tsv").map(\.text).max { $0.count < $1.count })
        var prompt = ""
        while prompt.count < 2_000 { prompt += paragraph + "\n" }
        prompt = String(prompt.prefix(2_000))
        _ = tokenizer.encode(prompt, addSpecial: true, parseSpecial: true)
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        var count = 0
        for _ in 0..<5 {
            let elapsed = clock.measure { count = tokenizer.encode(prompt, addSpecial: true, parseSpecial: true).count }
            best = min(best, elapsed)
        }
        print("tokenized 2,000 characters into \(count) tokens in \(best) (best of 5)")
        #if DEBUG
        #expect(best < .milliseconds(200), "debug builds are slower; release must stay under 10 ms")
        #else
        #expect(best < .milliseconds(10))
        #endif
    }
}
