// Reference quantization: Floats -> block bytes. For f16, bf16, q8_0, q4_0, q4_1, q5_0 and q5_1 this is ggml's
// round-to-nearest `quantize_row_*_ref`, byte for byte. For q4_K and q6_K it is a simpler round-to-nearest than
// ggml's iterative scale search (`make_qkx2_quants`): the blocks are valid and decode the same way, but their scales
// are not the ones llama-quantize would choose. Weights come quantized in GGUF files; this is for tests.

/// Converts `count` Floats into blocks of `type` at `output`. // output: (count / blockElementCount) blocks
public func quantizeRow(_ type: TensorType, _ x: UnsafePointer<Float>, count: Int, into output: UnsafeMutableRawPointer)
{
    precondition(count % type.blockElementCount == 0, "\(type): \(count) values is not a whole number of blocks")
    let blockCount = count / type.blockElementCount
    for b in 0..<blockCount {
        let block = output + b * type.blockByteCount
        let v = x + b * type.blockElementCount
        switch type {
        case .f32: block.storeBytes(of: v[0].bitPattern.littleEndian, as: UInt32.self)
        case .f16: block.storeBytes(of: halfFromFloat(v[0]).littleEndian, as: UInt16.self)
        case .bf16: block.storeBytes(of: bfloat16FromFloat(v[0]).littleEndian, as: UInt16.self)
        case .q8_0: quantizeQ8_0(v, block)
        case .q4_0: quantizeQ4_0(v, block)
        case .q4_1: quantizeQ4_1(v, block)
        case .q5_0: quantizeQ5_0(v, block)
        case .q5_1: quantizeQ5_1(v, block)
        case .q4_K: quantizeQ4_K(v, block)
        case .q6_K: quantizeQ6_K(v, block)
        case .q8_K: quantizeQ8_K(v, block)
        }
    }
}

/// Converts Floats into a new byte array of `type` blocks.
public func quantizeRow(_ type: TensorType, _ x: [Float]) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: type.rowByteCount(cols: x.count))
    x.withUnsafeBufferPointer { x in
        bytes.withUnsafeMutableBytes { bytes in
            quantizeRow(type, x.baseAddress!, count: x.count, into: bytes.baseAddress!)
        }
    }
    return bytes
}

@inline(__always)
private func storeHalf(_ value: Float, _ block: UnsafeMutableRawPointer, _ offset: Int) {
    block.storeBytes(of: halfFromFloat(value).littleEndian, toByteOffset: offset, as: UInt16.self)
}

/// The value with the largest magnitude (sign kept) among `count` values, as ggml picks it (first one wins).
@inline(__always)
private func signedAbsoluteMaximum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
    var amax: Float = 0
    var max: Float = 0
    for j in 0..<count where amax < abs(x[j]) {
        amax = abs(x[j])
        max = x[j]
    }
    return max
}

/// C's `(int8_t)(value)`: truncation toward zero.
@inline(__always)
private func truncated(_ value: Float) -> Int { Int(value) }

private func quantizeQ8_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var amax: Float = 0
    for j in 0..<32 { amax = max(amax, abs(x[j])) }
    let d = amax / 127
    let id: Float = d != 0 ? 1 / d : 0
    storeHalf(d, block, 0)
    for j in 0..<32 {
        block.storeBytes(of: Int8((x[j] * id).rounded()), toByteOffset: 2 + j, as: Int8.self)
    }
}

private func quantizeQ4_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    let d = signedAbsoluteMaximum(x, 32) / -8
    let id: Float = d != 0 ? 1 / d : 0
    storeHalf(d, block, 0)
    for j in 0..<16 {
        let low = min(15, truncated(x[j] * id + 8.5))
        let high = min(15, truncated(x[j + 16] * id + 8.5))
        block.storeBytes(of: UInt8(low | (high << 4)), toByteOffset: 2 + j, as: UInt8.self)
    }
}

private func quantizeQ4_1(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var lo = Float.greatestFiniteMagnitude
    var hi = -Float.greatestFiniteMagnitude
    for j in 0..<32 {
        lo = min(lo, x[j])
        hi = max(hi, x[j])
    }
    let d = (hi - lo) / 15
    let id: Float = d != 0 ? 1 / d : 0
    storeHalf(d, block, 0)
    storeHalf(lo, block, 2)
    for j in 0..<16 {
        let low = min(15, truncated((x[j] - lo) * id + 0.5))
        let high = min(15, truncated((x[j + 16] - lo) * id + 0.5))
        block.storeBytes(of: UInt8(low | (high << 4)), toByteOffset: 4 + j, as: UInt8.self)
    }
}

private func quantizeQ5_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    let d = signedAbsoluteMaximum(x, 32) / -16
    let id: Float = d != 0 ? 1 / d : 0
    storeHalf(d, block, 0)
    var qh: UInt32 = 0
    for j in 0..<16 {
        let low = min(31, truncated(x[j] * id + 16.5))
        let high = min(31, truncated(x[j + 16] * id + 16.5))
        block.storeBytes(of: UInt8((low & 0xF) | ((high & 0xF) << 4)), toByteOffset: 6 + j, as: UInt8.self)
        qh |= UInt32(low >> 4) << j
        qh |= UInt32(high >> 4) << (j + 16)
    }
    block.storeBytes(of: qh.littleEndian, toByteOffset: 2, as: UInt32.self)
}

private func quantizeQ5_1(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var lo = Float.greatestFiniteMagnitude
    var hi = -Float.greatestFiniteMagnitude
    for j in 0..<32 {
        lo = min(lo, x[j])
        hi = max(hi, x[j])
    }
    let d = (hi - lo) / 31
    let id: Float = d != 0 ? 1 / d : 0
    storeHalf(d, block, 0)
    storeHalf(lo, block, 2)
    var qh: UInt32 = 0
    for j in 0..<16 {
        let low = min(31, truncated((x[j] - lo) * id + 0.5))
        let high = min(31, truncated((x[j + 16] - lo) * id + 0.5))
        block.storeBytes(of: UInt8((low & 0xF) | ((high & 0xF) << 4)), toByteOffset: 8 + j, as: UInt8.self)
        qh |= UInt32(low >> 4) << j
        qh |= UInt32(high >> 4) << (j + 16)
    }
    block.storeBytes(of: qh.littleEndian, toByteOffset: 4, as: UInt32.self)
}

/// Q4_K, plain round-to-nearest: each sub-block of 32 gets scale (max - min) / 15 and min -min(0, min); both are
/// then stored as 6-bit multiples of d = largest scale / 63 and dmin = largest min / 63.
private func quantizeQ4_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var subScales = [Float](repeating: 0, count: 8)
    var subMins = [Float](repeating: 0, count: 8)
    for j in 0..<8 {
        var lo: Float = 0
        var hi: Float = 0
        for l in 0..<32 {
            lo = min(lo, x[32 * j + l])
            hi = max(hi, x[32 * j + l])
        }
        subScales[j] = (hi - lo) / 15
        subMins[j] = -lo
    }
    let d = subScales.max()! / 63
    let dmin = subMins.max()! / 63
    storeHalf(d, block, 0)
    storeHalf(dmin, block, 2)
    let storedD = floatFromHalf(halfFromFloat(d))
    let storedDmin = floatFromHalf(halfFromFloat(dmin))
    var packed = [UInt8](repeating: 0, count: 12)
    var levels = [Int](repeating: 0, count: 256)
    for j in 0..<8 {
        let ls = storedD > 0 ? min(63, Int((subScales[j] / storedD).rounded())) : 0
        let lm = storedDmin > 0 ? min(63, Int((subMins[j] / storedDmin).rounded())) : 0
        if j < 4 {
            packed[j] = UInt8(ls)
            packed[j + 4] = UInt8(lm)
        } else {
            packed[j + 4] = UInt8((ls & 0xF) | ((lm & 0xF) << 4))
            packed[j - 4] |= UInt8((ls >> 4) << 6)
            packed[j] |= UInt8((lm >> 4) << 6)
        }
        let scale = storedD * Float(ls)
        let offset = storedDmin * Float(lm)
        for l in 0..<32 {
            let q = scale > 0 ? Int(((x[32 * j + l] + offset) / scale).rounded()) : 0
            levels[32 * j + l] = max(0, min(15, q))
        }
    }
    for i in 0..<12 { block.storeBytes(of: packed[i], toByteOffset: 4 + i, as: UInt8.self) }
    for pair in 0..<4 {
        for l in 0..<32 {
            let byte = levels[64 * pair + l] | (levels[64 * pair + 32 + l] << 4)
            block.storeBytes(of: UInt8(byte), toByteOffset: 16 + 32 * pair + l, as: UInt8.self)
        }
    }
}

/// Q6_K, plain round-to-nearest: each sub-block of 16 gets scale amax / 31, stored as an int8 multiple of
/// d = largest scale / 127; values are round(x / (d * scale)) in -32...31, stored plus 32.
private func quantizeQ6_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var subScales = [Float](repeating: 0, count: 16)
    for j in 0..<16 {
        var amax: Float = 0
        for l in 0..<16 { amax = max(amax, abs(x[16 * j + l])) }
        subScales[j] = amax / 31
    }
    let d = subScales.max()! / 127
    storeHalf(d, block, 208)
    let storedD = floatFromHalf(halfFromFloat(d))
    var levels = [Int](repeating: 32, count: 256)
    for j in 0..<16 {
        let ls = storedD > 0 ? min(127, Int((subScales[j] / storedD).rounded())) : 0
        block.storeBytes(of: Int8(ls), toByteOffset: 192 + j, as: Int8.self)
        let scale = storedD * Float(ls)
        for l in 0..<16 {
            let q = scale > 0 ? Int((x[16 * j + l] / scale).rounded()) : 0
            levels[16 * j + l] = max(-32, min(31, q)) + 32
        }
    }
    for half in 0..<2 {
        for l in 0..<32 {
            let base = 128 * half + l
            let (l1, l2, l3, l4) = (levels[base], levels[base + 32], levels[base + 64], levels[base + 96])
            block.storeBytes(of: UInt8((l1 & 0xF) | ((l3 & 0xF) << 4)), toByteOffset: 64 * half + l, as: UInt8.self)
            block.storeBytes(
                of: UInt8((l2 & 0xF) | ((l4 & 0xF) << 4)), toByteOffset: 64 * half + l + 32, as: UInt8.self)
            let high = (l1 >> 4) | ((l2 >> 4) << 2) | ((l3 >> 4) << 4) | ((l4 >> 4) << 6)
            block.storeBytes(of: UInt8(high), toByteOffset: 128 + 32 * half + l, as: UInt8.self)
        }
    }
}

/// Q8_K as ggml: d = largest magnitude (sign kept) / -127, values round(x / d), sums of every 16.
private func quantizeQ8_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    let max = signedAbsoluteMaximum(x, 256)
    if max == 0 {
        block.initializeMemory(as: UInt8.self, repeating: 0, count: 292)
        return
    }
    let iscale = -127 / max
    block.storeBytes(of: (1 / iscale).bitPattern.littleEndian, as: UInt32.self)
    for j in 0..<16 {
        var sum = 0
        for l in 0..<16 {
            let q = min(127, Int((iscale * x[16 * j + l]).rounded(.toNearestOrEven)))
            block.storeBytes(of: Int8(q), toByteOffset: 4 + 16 * j + l, as: Int8.self)
            sum += q
        }
        block.storeBytes(of: Int16(sum).littleEndian, toByteOffset: 260 + 2 * j, as: Int16.self)
    }
}
