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
        ("qwen2 with q/k/v biases and an output head", TinyLlama(architecture: "qwen2", withBias: true, tiedOutput: false)),
        ("multi-head, no grouping", TinyLlama(heads: 4, kvHeads: 4)),
    ])
    func tokenByTokenLogitsMatchTheReference(name: String, tiny: TinyLlama) throws {
        let model = try LlamaModel(path: try tiny.write())
        let session = model.makeSession()
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
        let batched = try model.makeSession().evaluate([5, 6, 7, 8, 9, 10, 11])
        let stepwise = model.makeSession()
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
        // Rewrite the file claiming a different feed-forward width than the tensors have.
        let file = try GGUFFile(path: path)
        let writer = try GGUFWriter(path: path + ".bad.gguf")
        for key in file.metadata.keys {
            let value = key == "llama.feed_forward_length" ? GGUFValue.uint32(128) : file.metadata[key]!
            try writer.setMetadata(key, value)
        }
        for info in file.tensorInfos {
            try writer.addTensor(name: info.name, type: info.type, shape: info.shape,
                bytes: file.tensor(named: info.name)!.data)
        }
        try writer.write()
        #expect {
            try LlamaModel(path: path + ".bad.gguf")
        } throws: { error in
            "\(error)".contains("blk.0.ffn_") && "\(error)".contains("expected")
        }
    }
}
