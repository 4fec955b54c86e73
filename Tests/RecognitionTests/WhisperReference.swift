import Foundation
import GGUF
import Kernels

@testable import Recognition

/// A slow, obviously correct Whisper forward pass in Double, straight from the tensors of a converted file: the
/// definition the encoder and decoder are checked against. No caches, no batching, no BLAS.
struct WhisperReference {
    let model: WhisperModel

    func tensor(_ name: String) -> [Double] {
        let t = model.file.tensor(named: name)!
        let type = TensorType(rawValue: t.info.type.rawValue)!
        return dequantizeRow(type, t.bytes, count: t.info.elementCount).map(Double.init)
    }

    /// (rows, width) in, (rows, width) out.
    func layerNorm(_ x: [[Double]], _ prefix: String) -> [[Double]] {
        let (w, b) = (tensor("\(prefix).weight"), tensor("\(prefix).bias"))
        var y: [[Double]] = []
        for row in x {
            let n = Double(row.count)
            var mean: Double = 0
            for v in row { mean += v / n }
            var variance: Double = 0
            for v in row { variance += (v - mean) * (v - mean) / n }
            let scale: Double = 1 / (variance + 1e-5).squareRoot()
            var out = row
            for i in row.indices { out[i] = (row[i] - mean) * scale * w[i] + b[i] }
            y.append(out)
        }
        return y
    }

    /// y = W x + b per row; W is (outputs, inputs) row-major.
    func linear(_ x: [[Double]], _ prefix: String) -> [[Double]] {
        let w = tensor("\(prefix).weight")
        let b = model.file.tensor(named: "\(prefix).bias") == nil ? nil : tensor("\(prefix).bias")
        let inputs = x[0].count
        let outputs = w.count / inputs
        var y: [[Double]] = []
        for row in x {
            var out = [Double](repeating: 0, count: outputs)
            for o in 0..<outputs {
                var sum: Double = b?[o] ?? 0
                for i in 0..<inputs { sum += w[o * inputs + i] * row[i] }
                out[o] = sum
            }
            y.append(out)
        }
        return y
    }

    func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }

    /// Multi-head attention; query i sees keys 0..<visible(i).
    func attention(_ q: [[Double]], _ k: [[Double]], _ v: [[Double]], heads: Int, visible: (Int) -> Int) -> [[Double]] {
        let d = q[0].count
        let hd = d / heads
        return q.indices.map { i in
            var out = [Double](repeating: 0, count: d)
            for h in 0..<heads {
                let r = (h * hd)..<((h + 1) * hd)
                var scores: [Double] = []
                for j in 0..<visible(i) {
                    var dot: Double = 0
                    for c in r { dot += q[i][c] * k[j][c] }
                    scores.append(dot / Double(hd).squareRoot())
                }
                let m = scores.max()!
                var e: [Double] = []
                var s: Double = 0
                for score in scores {
                    e.append(exp(score - m))
                    s += e.last!
                }
                for j in 0..<visible(i) {
                    for c in r { out[c] += e[j] / s * v[j][c] }
                }
            }
            return out
        }
    }

    func add(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        var y = a
        for r in a.indices {
            for c in a[r].indices { y[r][c] += b[r][c] }
        }
        return y
    }

    func split(_ x: [[Double]], parts: Int) -> [[[Double]]] {
        let d = x[0].count / parts
        return (0..<parts).map { p in x.map { Array($0[(p * d)..<((p + 1) * d)]) } }
    }

    /// The encoder output. // (positions, d)
    func encode(_ mel: LogMelSpectrogram) -> [[Double]] {
        let h = model.hyperparameters
        let d = h.embeddingLength
        func conv(_ input: [[Double]], _ prefix: String, stride: Int) -> [[Double]] {  // input: (channels, frames)
            let w = tensor("\(prefix).weight")  // (out, in, 3)
            let b = tensor("\(prefix).bias")
            let (channels, frames) = (input.count, input[0].count)
            let outFrames = (frames + 2 - 3) / stride + 1
            return (0..<d).map { o in
                (0..<outFrames).map { t in
                    var sum = b[o]
                    for i in 0..<channels {
                        for k in 0..<3 {
                            let s = t * stride + k - 1
                            if s >= 0 && s < frames { sum += w[(o * channels + i) * 3 + k] * input[i][s] }
                        }
                    }
                    return gelu(sum)
                }
            }
        }
        let input = (0..<mel.melCount).map { m in (0..<mel.frameCount).map { Double(mel[mel: m, frame: $0]) } }
        let stem = conv(conv(input, "encoder.conv1", stride: 1), "encoder.conv2", stride: 2)  // (d, n)
        let n = stem[0].count
        let positions = tensor("encoder.positional_embedding")
        var x: [[Double]] = []
        for t in 0..<n {
            var row = [Double](repeating: 0, count: d)
            for i in 0..<d { row[i] = stem[i][t] + positions[t * d + i] }
            x.append(row)
        }
        for l in 0..<h.encoderBlockCount {
            let p = "encoder.blocks.\(l)"
            let qkv = split(linear(layerNorm(x, "\(p).attn_ln"), "\(p).attn.qkv"), parts: 3)
            let a = linear(attention(qkv[0], qkv[1], qkv[2], heads: h.encoderHeadCount) { _ in n }, "\(p).attn.out")
            x = add(x, a)
            let up = linear(layerNorm(x, "\(p).mlp_ln"), "\(p).mlp.0").map { $0.map(gelu) }
            x = add(x, linear(up, "\(p).mlp.2"))
        }
        return layerNorm(x, "encoder.ln_post")
    }

    /// The logits after the last of `tokens`, computed from scratch. // (vocab)
    func logits(tokens: [Int], encoded: [[Double]]) -> [Double] {
        let h = model.hyperparameters
        let d = h.embeddingLength
        let embedding = tensor("decoder.token_embedding.weight")
        let positions = tensor("decoder.positional_embedding")
        var x: [[Double]] = []
        for (t, id) in tokens.enumerated() {
            var row = [Double](repeating: 0, count: d)
            for i in 0..<d { row[i] = embedding[id * d + i] + positions[t * d + i] }
            x.append(row)
        }
        for l in 0..<h.decoderBlockCount {
            let p = "decoder.blocks.\(l)"
            let qkv = split(linear(layerNorm(x, "\(p).attn_ln"), "\(p).attn.qkv"), parts: 3)
            let a = linear(attention(qkv[0], qkv[1], qkv[2], heads: h.decoderHeadCount) { $0 + 1 }, "\(p).attn.out")
            x = add(x, a)
            let q = linear(layerNorm(x, "\(p).cross_attn_ln"), "\(p).cross_attn.query")
            let kv = split(linear(encoded, "\(p).cross_attn.kv"), parts: 2)
            let c = linear(
                attention(q, kv[0], kv[1], heads: h.decoderHeadCount) { _ in encoded.count }, "\(p).cross_attn.out")
            x = add(x, c)
            let up = linear(layerNorm(x, "\(p).mlp_ln"), "\(p).mlp.0").map { $0.map(gelu) }
            x = add(x, linear(up, "\(p).mlp.2"))
        }
        let last = layerNorm([x.last!], "decoder.ln")[0]
        var logits = [Double](repeating: 0, count: h.vocabularySize)
        for v in 0..<h.vocabularySize {
            for i in 0..<d { logits[v] += embedding[v * d + i] * last[i] }
        }
        return logits
    }
}
