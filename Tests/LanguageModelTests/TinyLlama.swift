import Foundation
import GGUF
import Kernels
import TutorCore

/// A tiny llama-family model with random weights, written as a real GGUF file, and a slow reference forward pass.
///
/// The reference is written from the architecture's definition with plain loops in Double, sharing nothing with
/// the engine but the weights' dequantization.
struct TinyLlama {
    var architecture = "llama"
    var layers = 2
    var embedding = 64
    var feedForward = 96
    var heads = 4
    var kvHeads = 2
    var vocabulary = 40
    var context = 64
    var ropeBase: Float = 10_000
    var epsilon: Float = 1e-5
    var weightType: GGMLType = .f32
    var withBias = false
    var tiedOutput = true
    var seed: UInt64 = 7

    var headDim: Int { embedding / heads }
    var kvWidth: Int { kvHeads * headDim }

    /// Every tensor: name, shape in ggml order (ne[0] innermost), values.
    func tensors() -> [(name: String, shape: [Int], values: [Float], quantized: Bool)] {
        var random = SplitMix64(seed: seed)
        func values(_ count: Int, scale: Float) -> [Float] {
            (0..<count).map { _ in Float.random(in: -scale...scale, using: &random) }
        }
        let d = embedding
        var list: [(String, [Int], [Float], Bool)] = [
            ("token_embd.weight", [d, vocabulary], values(d * vocabulary, scale: 1), true)
        ]
        for i in 0..<layers {
            let p = "blk.\(i)."
            list.append((p + "attn_norm.weight", [d], values(d, scale: 0.2).map { 1 + $0 }, false))
            list.append((p + "attn_q.weight", [d, d], values(d * d, scale: 0.3), true))
            list.append((p + "attn_k.weight", [d, kvWidth], values(d * kvWidth, scale: 0.3), true))
            list.append((p + "attn_v.weight", [d, kvWidth], values(d * kvWidth, scale: 0.3), true))
            if withBias {
                list.append((p + "attn_q.bias", [d], values(d, scale: 0.1), false))
                list.append((p + "attn_k.bias", [kvWidth], values(kvWidth, scale: 0.1), false))
                list.append((p + "attn_v.bias", [kvWidth], values(kvWidth, scale: 0.1), false))
            }
            list.append((p + "attn_output.weight", [d, d], values(d * d, scale: 0.2), true))
            list.append((p + "ffn_norm.weight", [d], values(d, scale: 0.2).map { 1 + $0 }, false))
            list.append((p + "ffn_gate.weight", [d, feedForward], values(d * feedForward, scale: 0.3), true))
            list.append((p + "ffn_up.weight", [d, feedForward], values(d * feedForward, scale: 0.3), true))
            list.append((p + "ffn_down.weight", [feedForward, d], values(d * feedForward, scale: 0.2), true))
        }
        list.append(("output_norm.weight", [d], values(d, scale: 0.2).map { 1 + $0 }, false))
        if !tiedOutput { list.append(("output.weight", [d, vocabulary], values(d * vocabulary, scale: 0.5), true)) }
        return list.map { (name: $0.0, shape: $0.1, values: $0.2, quantized: $0.3) }
    }

    /// Writes the model to a temporary GGUF file and returns its path.
    func write() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString).gguf").path
        let writer = try GGUFWriter(path: path)
        try writer.setMetadata("general.architecture", .string(architecture))
        try writer.setMetadata("\(architecture).block_count", .uint32(UInt32(layers)))
        try writer.setMetadata("\(architecture).embedding_length", .uint32(UInt32(embedding)))
        try writer.setMetadata("\(architecture).feed_forward_length", .uint32(UInt32(feedForward)))
        try writer.setMetadata("\(architecture).attention.head_count", .uint32(UInt32(heads)))
        try writer.setMetadata("\(architecture).attention.head_count_kv", .uint32(UInt32(kvHeads)))
        try writer.setMetadata("\(architecture).context_length", .uint32(UInt32(context)))
        try writer.setMetadata("\(architecture).rope.freq_base", .float32(ropeBase))
        try writer.setMetadata("\(architecture).attention.layer_norm_rms_epsilon", .float32(epsilon))
        for tensor in tensors() {
            if tensor.quantized && weightType != .f32, let type = TensorType(rawValue: weightType.rawValue) {
                let bytes = quantizeRow(type, tensor.values)
                try writer.addTensor(name: tensor.name, type: weightType, shape: tensor.shape, bytes: Data(bytes))
            } else {
                try writer.addTensor(name: tensor.name, shape: tensor.shape, float32: tensor.values)
            }
        }
        try writer.write()
        return path
    }

    /// The weights as the engine sees them (after quantization), as plain Float matrices keyed by name.
    func effectiveWeights() -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for tensor in tensors() {
            if tensor.quantized && weightType != .f32, let type = TensorType(rawValue: weightType.rawValue) {
                let bytes = quantizeRow(type, tensor.values)
                result[tensor.name] = bytes.withUnsafeBytes { dequantizeRow(type, $0, count: tensor.values.count) }
            } else {
                result[tensor.name] = tensor.values
            }
        }
        return result
    }

    /// The slow reference: logits after each token of `tokens`, run one at a time. // (tokens, vocab)
    func referenceLogits(_ tokens: [Int]) -> [[Double]] {
        let w = effectiveWeights()
        let d = embedding
        // y = W x with W stored as `rows` rows of `cols` (ggml: shape [cols, rows]).
        func apply(_ name: String, _ x: [Double], rows: Int) -> [Double] {
            let m = w[name]!
            let cols = x.count
            return (0..<rows).map { r in (0..<cols).reduce(0.0) { $0 + Double(m[r * cols + $1]) * x[$1] } }
        }
        func norm(_ x: [Double], _ name: String) -> [Double] {
            let g = w[name]!
            let mean = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
            let scale = 1 / (mean + Double(epsilon)).squareRoot()
            return x.indices.map { x[$0] * scale * Double(g[$0]) }
        }
        func rotate(_ x: inout [Double], headCount: Int, position: Int) {
            for h in 0..<headCount {
                for i in 0..<(headDim / 2) {
                    let theta = Double(position) * pow(Double(ropeBase), -2 * Double(i) / Double(headDim))
                    let (a, b) =
                        architecture == "qwen2"
                        ? (h * headDim + i, h * headDim + i + headDim / 2)
                        : (h * headDim + 2 * i, h * headDim + 2 * i + 1)
                    let (x0, x1) = (x[a], x[b])
                    x[a] = x0 * cos(theta) - x1 * sin(theta)
                    x[b] = x0 * sin(theta) + x1 * cos(theta)
                }
            }
        }
        var keyCache = [[[Double]]](repeating: [], count: layers)  // (layer, position, kvWidth)
        var valueCache = [[[Double]]](repeating: [], count: layers)
        var all: [[Double]] = []
        for (position, token) in tokens.enumerated() {
            var x = (0..<d).map { Double(w["token_embd.weight"]![token * d + $0]) }
            for l in 0..<layers {
                let p = "blk.\(l)."
                let xn = norm(x, p + "attn_norm.weight")
                var q = apply(p + "attn_q.weight", xn, rows: d)
                var k = apply(p + "attn_k.weight", xn, rows: kvWidth)
                var v = apply(p + "attn_v.weight", xn, rows: kvWidth)
                if withBias {
                    for i in 0..<d { q[i] += Double(w[p + "attn_q.bias"]![i]) }
                    for i in 0..<kvWidth {
                        k[i] += Double(w[p + "attn_k.bias"]![i])
                        v[i] += Double(w[p + "attn_v.bias"]![i])
                    }
                }
                rotate(&q, headCount: heads, position: position)
                rotate(&k, headCount: kvHeads, position: position)
                keyCache[l].append(k)
                valueCache[l].append(v)
                var attended = [Double](repeating: 0, count: d)
                for h in 0..<heads {
                    let kvHead = h / (heads / kvHeads)
                    let scores = (0...position).map { t in
                        (0..<headDim).reduce(0.0) { $0 + q[h * headDim + $1] * keyCache[l][t][kvHead * headDim + $1] }
                            / Double(headDim).squareRoot()
                    }
                    let top = scores.max()!
                    let exps = scores.map { exp($0 - top) }
                    let total = exps.reduce(0, +)
                    for t in 0...position {
                        for i in 0..<headDim {
                            attended[h * headDim + i] += exps[t] / total * valueCache[l][t][kvHead * headDim + i]
                        }
                    }
                }
                let o = apply(p + "attn_output.weight", attended, rows: d)
                for i in 0..<d { x[i] += o[i] }
                let fn = norm(x, p + "ffn_norm.weight")
                let g = apply(p + "ffn_gate.weight", fn, rows: feedForward)
                let u = apply(p + "ffn_up.weight", fn, rows: feedForward)
                let hidden = (0..<feedForward).map { g[$0] / (1 + exp(-g[$0])) * u[$0] }
                let down = apply(p + "ffn_down.weight", hidden, rows: d)
                for i in 0..<d { x[i] += down[i] }
            }
            let out = norm(x, "output_norm.weight")
            all.append(apply(tiedOutput ? "token_embd.weight" : "output.weight", out, rows: vocabulary))
        }
        return all
    }
}
