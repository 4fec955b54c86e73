import Kernels

/// Whisper's audio encoder, run over only the frames present: a 4-second question is 400 mel frames and 200
/// encoder positions, not Whisper's fixed 3,000 and 1,500.
///
/// Conv stem (k 3, pad 1; then k 3, stride 2, pad 1; GELU after each, as sgemm over im2col), the first
/// `positions` rows of the positional embedding, pre-norm transformer blocks (non-causal self-attention, GELU MLP),
/// final layer norm.
///
/// What trimming costs is measured on the Samples/ clips and written down at `TranscriptionOptions.padToThirtySeconds`:
/// the same text on most English clips, a few hundredths of average log-probability, and a less sure language
/// detector (base once took a Caribbean English voice for Latin).
struct WhisperEncoder {
    let hyperparameters: WhisperHyperparameters
    let weights: WhisperWeights
    let threadCount: Int

    /// The number of encoder positions for `frameCount` mel frames (the stride-2 convolution's output length).
    static func positionCount(frameCount: Int) -> Int { frameCount == 0 ? 0 : (frameCount - 1) / 2 + 1 }

    /// The encoder output for `mel` (at most `2 * audioContextLength` frames are read). // (positions, d)
    func encode(_ mel: LogMelSpectrogram) -> [Float] {
        let h = hyperparameters
        let d = h.embeddingLength
        let frames = min(mel.frameCount, 2 * h.audioContextLength)
        let n = Self.positionCount(frameCount: frames)
        guard n > 0 else { return [] }

        // conv1: im2col of the mel (frames, melCount * 3), [t][i * 3 + k] = mel[i][t + k - 1].
        let melCount = mel.melCount
        var columns = [Float](repeating: 0, count: frames * melCount * 3)  // (frames, melCount * 3)
        mel.values.withUnsafeBufferPointer { values in
            for t in 0..<frames {
                for i in 0..<melCount {
                    for k in 0..<3 {
                        let source = t + k - 1
                        if source >= 0 && source < frames {
                            columns[(t * melCount + i) * 3 + k] = values[i * mel.frameCount + source]
                        }
                    }
                }
            }
        }
        var stem1 = [Float](repeating: 0, count: frames * d)  // (frames, d)
        convolve(columns, weights.conv1Weight, weights.conv1Bias, into: &stem1, rows: frames, inner: melCount * 3)

        // conv2: stride 2, im2col (n, d * 3), [t][i * 3 + k] = stem1[2t + k - 1][i].
        columns = [Float](repeating: 0, count: n * d * 3)  // (n, d * 3)
        for t in 0..<n {
            for k in 0..<3 {
                let source = 2 * t + k - 1
                guard source >= 0 && source < frames else { continue }
                for i in 0..<d { columns[(t * d + i) * 3 + k] = stem1[source * d + i] }
            }
        }
        var x = [Float](repeating: 0, count: n * d)  // (n, d) the residual stream
        convolve(columns, weights.conv2Weight, weights.conv2Bias, into: &x, rows: n, inner: d * 3)
        for i in 0..<(n * d) { x[i] += weights.encoderPositions[i] }

        let heads = h.encoderHeadCount
        let ffn = h.feedForwardLength
        var xn = [Float](repeating: 0, count: n * d)  // (n, d)
        var qkv = [Float](repeating: 0, count: n * 3 * d)  // (n, 3d)
        var attended = [Float](repeating: 0, count: n * d)  // (n, d)
        var projected = [Float](repeating: 0, count: n * d)  // (n, d)
        var hidden = [Float](repeating: 0, count: n * ffn)  // (n, ffn)
        for block in weights.encoderBlocks {
            layerNormRows(x, block.attentionNorm, into: &xn, rows: n, width: d)
            applyLinear(block.queryKeyValue, xn, into: &qkv, tokens: n, threadCount: threadCount)
            qkv.withUnsafeBufferPointer { qkv in
                attended.withUnsafeMutableBufferPointer { attended in
                    let base = qkv.baseAddress!
                    batchedAttention(
                        q: base, k: base + d, v: base + 2 * d, stride: 3 * d, queryCount: n, keyCount: n,
                        heads: heads, headDim: d / heads, output: attended.baseAddress!, threadCount: threadCount)
                }
            }
            applyLinear(block.attentionOutput, attended, into: &projected, tokens: n, threadCount: threadCount)
            addInPlace(&x, projected)

            layerNormRows(x, block.mlpNorm, into: &xn, rows: n, width: d)
            applyLinear(block.mlpUp, xn, into: &hidden, tokens: n, threadCount: threadCount)
            hidden.withUnsafeMutableBufferPointer { gelu($0) }
            applyLinear(block.mlpDown, hidden, into: &projected, tokens: n, threadCount: threadCount)
            addInPlace(&x, projected)
        }
        layerNormRows(x, weights.encoderFinalNorm, into: &xn, rows: n, width: d)
        return xn
    }

    /// out = GELU(columns Wᵀ + b): one convolution as a matrix product.
    /// columns: (rows, inner), weight: (d, inner), out: (rows, d)
    private func convolve(
        _ columns: [Float], _ weight: [Float], _ bias: [Float], into out: inout [Float], rows: Int,
        inner: Int
    ) {
        let d = bias.count
        columns.withUnsafeBufferPointer { a in
            weight.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    sgemm(
                        a.baseAddress!, b.baseAddress!, c.baseAddress!, m: rows, n: d, k: inner, transposeB: true,
                        threadCount: threadCount)
                    for t in 0..<rows {
                        for o in 0..<d { c[t * d + o] += bias[o] }
                    }
                    gelu(c)
                }
            }
        }
    }
}
