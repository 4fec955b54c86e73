import Foundation
import GGUF
import Testing

@testable import LanguageModel

/// The engine's forward pass against the slow reference, on tiny random models of each supported shape.
@Suite struct LlamaForwardTests {
    func maxDifference(_ a: [Float], _ b: [Double]) -> Double {
        zip(a, b).map { abs(Double($0) - $1) }.max() ?? .infinity
    }

    @Test(arguments: [
        ("llama F32, tied output", TinyLlama()),
        (
            "qwen2 with q/k/v biases and an output head",
            TinyLlama(architecture: "qwen2", withBias: true, tiedOutput: false)
        ),
        ("multi-head, no grouping", TinyLlama(heads: 4, kvHeads: 4)),
    ])
    func tokenByTokenLogitsMatchTheReference(name: String, tiny: TinyLlama) throws {
        let model = try LlamaModel(path: try tiny.write())
        // The exact f32 cache: the default f16 one is compared with it in KVCachePrecisionTests.
        let session = model.makeSession(kvCachePrecision: .f32)
        let tokens = [3, 17, 5, 39, 0, 22]
        let reference = tiny.referenceLogits(tokens)
        for (t, token) in tokens.enumerated() {
            let logits = try session.evaluate([token])
            #expect(maxDifference(logits, reference[t]) < 1e-3, "\(name): token \(t)")
        }
    }

    @Test(arguments: [GGMLType.q8_0, .q4_0, .q4_1])
    func quantizedWeightsStayCloseToTheReferenceOnTheSameWeights(type: GGMLType) throws {
        let tiny = TinyLlama(weightType: type)
        let model = try LlamaModel(path: try tiny.write())
        let session = model.makeSession()
        let tokens = [1, 2, 3, 4]
        let logits = try session.evaluate(tokens)
        let reference = tiny.referenceLogits(tokens).last!
        // Activations are quantized to 8 bits for the integer dot products; allow for that, relative to the spread.
        let spread = (reference.max()! - reference.min()!)
        #expect(maxDifference(logits, reference) < 0.05 * spread)
    }

    @Test func aPromptInOneBatchGivesTheSameLogitsAsTokenByToken() throws {
        let tiny = TinyLlama()
        let model = try LlamaModel(path: try tiny.write())
        // An f32 cache: the f16 one rounds attention as llama.cpp does, and one rounding flipped by the batch's
        // different float summation order moves the logits by about 1e-3; this test is about the batching.
        let batched = try model.makeSession(kvCachePrecision: .f32).evaluate([5, 6, 7, 8, 9, 10, 11])
        let stepwise = model.makeSession(kvCachePrecision: .f32)
        var last: [Float] = []
        for token in [5, 6, 7, 8, 9, 10, 11] { last = try stepwise.evaluate([token]) }
        let difference = zip(batched, last).map { abs($0 - $1) }.max()!
        #expect(difference < 1e-3)
    }

    @Test func truncatingToAKeptPrefixContinuesAsIfTheRestHadNeverBeenSeen() throws {
        let tiny = TinyLlama()
        let model = try LlamaModel(path: try tiny.write())
        let session = model.makeSession()
        try session.evaluate([1, 2, 3])  // the "system prompt"
        try session.evaluate([30, 31])  // one question
        session.truncate(to: 3)
        let reused = try session.evaluate([7, 8])
        let fresh = try model.makeSession().evaluate([1, 2, 3, 7, 8])
        #expect(session.tokens == [1, 2, 3, 7, 8])
        #expect(zip(reused, fresh).map { abs($0 - $1) }.max()! < 1e-4)
    }

    @Test func aPromptLongerThanTheContextIsRefusedWithTheModelsPath() throws {
        let tiny = TinyLlama(context: 8)
        let path = try tiny.write()
        let session = try LlamaModel(path: path).makeSession()
        #expect(throws: LanguageModelError.contextFull(path: path, needed: 9, capacity: 8)) {
            try session.evaluate(Array(repeating: 1, count: 9))
        }
        #expect(throws: LanguageModelError.tokenOutOfRange(path: path, token: 40, vocabularySize: 40)) {
            try session.evaluate([40])
        }
    }

    @Test func aWrongTensorShapeIsRefusedBeforeUse() throws {
        var tiny = TinyLlama()
        tiny.feedForward = 96
        let path = try tiny.write()
        // A copy claiming a different feed-forward width than the tensors have.
        let bad = try rewriteGGUF(path) { key, value in key == "llama.feed_forward_length" ? .uint32(128) : value }
        #expect {
            try LlamaModel(path: bad)
        } throws: { error in
            "\(error)".contains("blk.0.ffn_") && "\(error)".contains("expected")
        }
    }
}

/// The f16 KV cache (the default) against the exact f32 one.
@Suite struct KVCachePrecisionTests {
    /// Rounding keys and values to halves (11 significant bits) moves Float models' logits by well under 1e-2 of
    /// their spread; with quantized weights the change also flips the int8 rounding of later activations, which
    /// about doubles it, so the bound is 2e-2 of the spread (llama.cpp's default cache is f16 too; the quantized
    /// forward pass itself is held to 5e-2 against the reference).
    @Test(arguments: [TinyLlama(), TinyLlama(weightType: .q4_1), TinyLlama(heads: 4, kvHeads: 4)])
    func halfCacheLogitsStayCloseToFloatCacheLogits(tiny: TinyLlama) throws {
        let model = try LlamaModel(path: try tiny.write())
        let half = model.makeSession(kvCachePrecision: .f16)
        let float = model.makeSession(kvCachePrecision: .f32)
        #expect(half.kvCachePrecision == .f16 && float.kvCachePrecision == .f32)
        let prompt = [3, 17, 5, 39, 0, 22, 9]
        var a = try half.evaluate(prompt)
        var b = try float.evaluate(prompt)
        for token in [4, 8, 15, 16, 23, 1] {
            let spread = b.max()! - b.min()!
            #expect(zip(a, b).map { abs($0 - $1) }.max()! < 2e-2 * spread)
            a = try half.evaluate([token])
            b = try float.evaluate([token])
        }
    }
}

/// Prompts longer than one batch.
@Suite struct LongPromptTests {
    @Test func aPromptLongerThanOneBatchGivesTheSameLogitsAsShorterPieces() throws {
        let tiny = TinyLlama(context: 2 * LlamaSession.maximumBatchTokens + 64)
        let model = try LlamaModel(path: try tiny.write())
        let prompt = (0..<(LlamaSession.maximumBatchTokens + 37)).map { ($0 * 7 + 3) % 40 }
        // An f32 cache: with f16, batches under 64 tokens round attention as llama.cpp's do and longer ones do not,
        // so pieces of other lengths differ by about 2e-2; this test is about the batching.
        let whole = model.makeSession(kvCachePrecision: .f32)
        let logits = try whole.evaluate(prompt)
        let pieces = model.makeSession(kvCachePrecision: .f32)
        try pieces.evaluate(Array(prompt[0..<100]))
        let last = try pieces.evaluate(Array(prompt[100...]))
        #expect(whole.tokens == prompt)
        #expect(zip(logits, last).map { abs($0 - $1) }.max()! < 1e-3)
    }
}
