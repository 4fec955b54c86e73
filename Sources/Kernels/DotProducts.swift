// Fast row dot products: one weight row (raw ggml blocks) against the activations. The hot spots are the int8
// loops over a block; they are written as plain loops over unsafe pointers so that release builds for the host
// vectorize them (vpmaddwd / vpdpwssd) and debug builds stay correct. Block scales are converted to Float once
// per block, outside those loops, through the f16 table.

/// Float weights (f32): y = Σ w x, eight lanes at a time.
@inline(__always)
func dotF32(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ cols: Int) -> Float {
    let w = row.assumingMemoryBound(to: Float.self)
    var acc0 = SIMD8<Float>.zero
    var acc1 = SIMD8<Float>.zero
    var i = 0
    let rx = UnsafeRawPointer(x)
    while i + 16 <= cols {
        // `a * b + c` rather than addProduct: without FMA in the target, addProduct becomes a library call.
        acc0 =
            acc0 + row.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            * rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        acc1 =
            acc1 + row.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
            * rx.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
        i += 16
    }
    var sum = (acc0 + acc1).sum()
    while i < cols {
        sum += w[i] * x[i]
        i += 1
    }
    return sum
}

/// Float weights (f32) summed as llama.cpp's sgemm sums them on AVX-512: sixteen lanes of fused multiply-adds
/// over the columns in steps of 16, the lanes then added in halves (16 -> 8 -> 4 -> 2 -> 1, as
/// `_mm512_reduce_add_ps`), leftover columns one by one. The f32 matrix-vector product uses it: equal sums keep
/// the f16 KV cache's roundings equal to llama.cpp's, where a last-bit difference would flip one. Without FMA in the
/// target each fused lane is a library call, so the attention over an f32 cache keeps `dotF32`.
@inline(__always)
func dotF32RoundingAsLlamaCpp(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ cols: Int) -> Float {
    let w = row.assumingMemoryBound(to: Float.self)
    var lanes = SIMD16<Float>.zero
    var i = 0
    let rx = UnsafeRawPointer(x)
    while i + 16 <= cols {
        lanes = lanes.addingProduct(
            row.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self),
            rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
        i += 16
    }
    let eight = lanes.lowHalf + lanes.highHalf
    let four = eight.lowHalf + eight.highHalf
    let two = four.lowHalf + four.highHalf
    var sum = two[0] + two[1]
    while i < cols {
        sum += w[i] * x[i]
        i += 1
    }
    return sum
}

/// Half weights (f16), converted through the table.
@inline(__always)
func dotF16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ cols: Int) -> Float {
    let w = row.assumingMemoryBound(to: UInt16.self)
    let table = halfToFloatTable
    var acc = SIMD8<Float>.zero
    var i = 0
    while i + 8 <= cols {
        var v = SIMD8<Float>()
        for k in 0..<8 { v[k] = table[Int(UInt16(littleEndian: w[i + k]))] }
        acc = acc + v * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var sum = acc.sum()
    while i < cols {
        sum += table[Int(UInt16(littleEndian: w[i]))] * x[i]
        i += 1
    }
    return sum
}

/// bfloat16 weights: each is the top half of an f32.
@inline(__always)
func dotBF16(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ cols: Int) -> Float {
    let w = row.assumingMemoryBound(to: UInt16.self)
    var acc = SIMD8<Float>.zero
    var i = 0
    while i + 8 <= cols {
        let bits = SIMD8<UInt32>(truncatingIfNeeded: UnsafeRawPointer(w + i).loadUnaligned(as: SIMD8<UInt16>.self))
        let weights = unsafeBitCast(bits &<< 16, to: SIMD8<Float>.self)
        let inputs = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        acc = acc + weights * inputs
        i += 8
    }
    var sum = acc.sum()
    while i < cols {
        sum += floatFromBFloat16(w[i]) * x[i]
        i += 1
    }
    return sum
}

/// Σ a[j] * b[j] over 32 int8 values. Hot spot.
@inline(__always)
private func dot32(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>) -> Int32 {
    var sum: Int32 = 0
    for j in 0..<32 { sum &+= Int32(a[j]) &* Int32(b[j]) }
    return sum
}

/// Σ nibble[j] * b[j] over 32 values packed in 16 bytes (low nibbles first, then high nibbles). Hot spot.
@inline(__always)
private func dotNibbles32(_ qs: UnsafePointer<UInt8>, _ b: UnsafePointer<Int8>) -> Int32 {
    var sum: Int32 = 0
    for j in 0..<16 {
        sum &+= Int32(qs[j] & 0xF) &* Int32(b[j]) &+ Int32(qs[j] >> 4) &* Int32(b[j + 16])
    }
    return sum
}

/// Σ q5[j] * b[j] over 32 five-bit values: nibbles as `dotNibbles32`, fifth bits in `qh`. Hot spot.
@inline(__always)
private func dotFiveBits32(_ qs: UnsafePointer<UInt8>, _ qh: UInt32, _ b: UnsafePointer<Int8>) -> Int32 {
    var sum: Int32 = 0
    for j in 0..<16 {
        let low = Int32(qs[j] & 0xF) | Int32((qh >> UInt32(j)) & 1) << 4
        let high = Int32(qs[j] >> 4) | Int32((qh >> UInt32(j + 16)) & 1) << 4
        sum &+= low &* Int32(b[j]) &+ high &* Int32(b[j + 16])
    }
    return sum
}

/// q8_0 weights: Σ_blocks dw * dx * Σ qw qx.
@inline(__always)
func dotQ8_0(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 32) {
        let block = row + 34 * b
        let q = (block + 2).assumingMemoryBound(to: Int8.self)
        sum += loadHalf(block) * a.scales[b] * Float(dot32(q, a.values + 32 * b))
    }
    return sum
}

/// q4_0 weights: x = d (q - 8), so Σ = d dx (Σ q qx - 8 Σ qx).
@inline(__always)
func dotQ4_0(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 32) {
        let block = row + 18 * b
        let qs = (block + 2).assumingMemoryBound(to: UInt8.self)
        let integer = dotNibbles32(qs, a.values + 32 * b) &- 8 &* a.sums[b]
        sum += loadHalf(block) * a.scales[b] * Float(integer)
    }
    return sum
}

/// q4_1 weights: x = d q + m, so Σ = d dx Σ q qx + m dx Σ qx.
@inline(__always)
func dotQ4_1(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 32) {
        let block = row + 20 * b
        let qs = (block + 4).assumingMemoryBound(to: UInt8.self)
        sum +=
            loadHalf(block) * a.scales[b] * Float(dotNibbles32(qs, a.values + 32 * b)) + loadHalf(block, 2)
            * a.scaledSums[b]
    }
    return sum
}

/// q5_0 weights: x = d (q - 16).
@inline(__always)
func dotQ5_0(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 32) {
        let block = row + 22 * b
        let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
        let qs = (block + 6).assumingMemoryBound(to: UInt8.self)
        let integer = dotFiveBits32(qs, qh, a.values + 32 * b) &- 16 &* a.sums[b]
        sum += loadHalf(block) * a.scales[b] * Float(integer)
    }
    return sum
}

/// q5_1 weights: x = d q + m.
@inline(__always)
func dotQ5_1(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 32) {
        let block = row + 24 * b
        let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let qs = (block + 8).assumingMemoryBound(to: UInt8.self)
        sum +=
            loadHalf(block) * a.scales[b] * Float(dotFiveBits32(qs, qh, a.values + 32 * b)) + loadHalf(block, 2)
            * a.scaledSums[b]
    }
    return sum
}

/// q4_K weights: per super-block, d dx Σ_j scale_j Σ q qx - dmin dx Σ_j min_j Σ qx (sub-blocks of 32).
@inline(__always)
func dotQ4_K(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 256) {
        let block = row + 144 * b
        let scales = block + 4
        let qs = (block + 16).assumingMemoryBound(to: UInt8.self)
        let x = a.values + 256 * b
        var scaled: Int32 = 0
        var mins: Int32 = 0
        for pair in 0..<4 {
            let (scaleLow, minLow) = q4KScaleAndMin(scales, 2 * pair)
            let (scaleHigh, minHigh) = q4KScaleAndMin(scales, 2 * pair + 1)
            let q = qs + 32 * pair
            let xl = x + 64 * pair
            var low: Int32 = 0
            var high: Int32 = 0
            for l in 0..<32 {  // hot spot
                low &+= Int32(q[l] & 0xF) &* Int32(xl[l])
                high &+= Int32(q[l] >> 4) &* Int32(xl[l + 32])
            }
            scaled &+= Int32(scaleLow) &* low &+ Int32(scaleHigh) &* high
            mins &+= Int32(minLow) &* a.sums[8 * b + 2 * pair] &+ Int32(minHigh) &* a.sums[8 * b + 2 * pair + 1]
        }
        let dx = a.scales[b]
        sum += loadHalf(block) * dx * Float(scaled) - loadHalf(block, 2) * dx * Float(mins)
    }
    return sum
}

/// q6_K weights: per super-block, d dx Σ_g scale_g Σ (q - 32) qx over sixteen groups of 16.
@inline(__always)
func dotQ6_K(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 256) {
        let block = row + 210 * b
        let scales = (block + 192).assumingMemoryBound(to: Int8.self)
        var total: Int32 = 0
        for half in 0..<2 {
            let ql = (block + 64 * half).assumingMemoryBound(to: UInt8.self)
            let qh = (block + 128 + 32 * half).assumingMemoryBound(to: UInt8.self)
            let x = a.values + 256 * b + 128 * half
            for part in 0..<2 {
                var s1: Int32 = 0
                var s2: Int32 = 0
                var s3: Int32 = 0
                var s4: Int32 = 0
                for l in (16 * part)..<(16 * part + 16) {  // hot spot
                    let h = Int32(qh[l])
                    let q1 = (Int32(ql[l] & 0xF) | (h & 3) << 4) &- 32
                    let q2 = (Int32(ql[l + 32] & 0xF) | ((h >> 2) & 3) << 4) &- 32
                    let q3 = (Int32(ql[l] >> 4) | ((h >> 4) & 3) << 4) &- 32
                    let q4 = (Int32(ql[l + 32] >> 4) | ((h >> 6) & 3) << 4) &- 32
                    s1 &+= q1 &* Int32(x[l])
                    s2 &+= q2 &* Int32(x[l + 32])
                    s3 &+= q3 &* Int32(x[l + 64])
                    s4 &+= q4 &* Int32(x[l + 96])
                }
                let g = 8 * half + part
                total &+= Int32(scales[g]) &* s1 &+ Int32(scales[g + 2]) &* s2
                total &+= Int32(scales[g + 4]) &* s3 &+ Int32(scales[g + 6]) &* s4
            }
        }
        sum += loadHalf(block, 208) * a.scales[b] * Float(total)
    }
    return sum
}

/// q8_K weights (rare as weights; here for completeness): Σ_blocks dw dx Σ qw qx.
@inline(__always)
func dotQ8_K(_ row: UnsafeRawPointer, _ a: QuantizedActivations, _ cols: Int) -> Float {
    var sum: Float = 0
    for b in 0..<(cols / 256) {
        let block = row + 292 * b
        let d = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
        let q = (block + 4).assumingMemoryBound(to: Int8.self)
        var integer: Int32 = 0
        for k in 0..<8 { integer &+= dot32(q + 32 * k, a.values + 256 * b + 32 * k) }
        sum += d * a.scales[b] * Float(integer)
    }
    return sum
}
