// Reference dequantization: block bytes -> Floats, written plainly, one type per function, following ggml's
// `dequantize_row_*`. These are the definition every fast path is tested against.

/// Converts `count` values of `type` starting at `source` into Floats. // source: (count / blockElementCount) blocks
public func dequantizeRow(
    _ type: TensorType, _ source: UnsafeRawPointer, count: Int, into output: UnsafeMutablePointer<Float>
) {
    precondition(count % type.blockElementCount == 0, "\(type): \(count) values is not a whole number of blocks")
    let blockCount = count / type.blockElementCount
    for b in 0..<blockCount {
        let block = source + b * type.blockByteCount
        let y = output + b * type.blockElementCount
        switch type {
        case .f32: y[0] = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
        case .f16: y[0] = floatFromHalf(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
        case .bf16: y[0] = floatFromBFloat16(UInt16(littleEndian: block.loadUnaligned(as: UInt16.self)))
        case .q8_0: dequantizeQ8_0(block, y)
        case .q4_0: dequantizeQ4_0(block, y)
        case .q4_1: dequantizeQ4_1(block, y)
        case .q5_0: dequantizeQ5_0(block, y)
        case .q5_1: dequantizeQ5_1(block, y)
        case .q4_K: dequantizeQ4_K(block, y)
        case .q6_K: dequantizeQ6_K(block, y)
        case .q8_K: dequantizeQ8_K(block, y)
        }
    }
}

/// Converts `count` values of `type` into a new array.
public func dequantizeRow(_ type: TensorType, _ source: UnsafeRawBufferPointer, count: Int) -> [Float] {
    precondition(source.count >= type.rowByteCount(cols: count), "\(type): \(count) values need more bytes")
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        dequantizeRow(type, source.baseAddress!, count: count, into: buffer.baseAddress!)
        initialized = count
    }
}

@inline(__always)
private func half(_ block: UnsafeRawPointer, _ offset: Int) -> Float {
    floatFromHalf(UInt16(littleEndian: block.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}

@inline(__always)
private func byte(_ block: UnsafeRawPointer, _ offset: Int) -> Int {
    Int(block.load(fromByteOffset: offset, as: UInt8.self))
}

@inline(__always)
private func signedByte(_ block: UnsafeRawPointer, _ offset: Int) -> Int {
    Int(block.load(fromByteOffset: offset, as: Int8.self))
}

/// Q8_0: d (f16), 32 x int8.
private func dequantizeQ8_0(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    for j in 0..<32 {
        y[j] = d * Float(signedByte(block, 2 + j))
    }
}

/// Q4_0: d (f16), 16 bytes of nibbles; low nibbles are values 0..<16, high nibbles 16..<32; offset 8.
private func dequantizeQ4_0(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    for j in 0..<16 {
        let q = byte(block, 2 + j)
        y[j] = d * Float((q & 0xF) - 8)
        y[j + 16] = d * Float((q >> 4) - 8)
    }
}

/// Q4_1: d (f16), m (f16), 16 bytes of nibbles as Q4_0; no offset, plus m.
private func dequantizeQ4_1(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    let m = half(block, 2)
    for j in 0..<16 {
        let q = byte(block, 4 + j)
        y[j] = d * Float(q & 0xF) + m
        y[j + 16] = d * Float(q >> 4) + m
    }
}

/// The fifth bits of a Q5 block: bit j belongs to value j.
@inline(__always)
private func fifthBits(_ block: UnsafeRawPointer, _ offset: Int) -> Int {
    Int(UInt32(littleEndian: block.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
}

/// Q5_0: d (f16), qh (u32), 16 bytes of nibbles; offset 16.
private func dequantizeQ5_0(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    let qh = fifthBits(block, 2)
    for j in 0..<16 {
        let q = byte(block, 6 + j)
        let low = (q & 0xF) | (((qh >> j) & 1) << 4)
        let high = (q >> 4) | (((qh >> (j + 16)) & 1) << 4)
        y[j] = d * Float(low - 16)
        y[j + 16] = d * Float(high - 16)
    }
}

/// Q5_1: d (f16), m (f16), qh (u32), 16 bytes of nibbles; no offset, plus m.
private func dequantizeQ5_1(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    let m = half(block, 2)
    let qh = fifthBits(block, 4)
    for j in 0..<16 {
        let q = byte(block, 8 + j)
        let low = (q & 0xF) | (((qh >> j) & 1) << 4)
        let high = (q >> 4) | (((qh >> (j + 16)) & 1) << 4)
        y[j] = d * Float(low) + m
        y[j + 16] = d * Float(high) + m
    }
}

/// The 6-bit scale and min of sub-block `j` (0..<8) from the 12 packed bytes of a Q4_K block (ggml's
/// `get_scale_min_k4`): bytes 0..<4 hold scales 0..<4 in their low 6 bits, bytes 4..<8 mins 0..<4; scales and mins
/// 4..<8 keep their low 4 bits in bytes 8..<12 and their top 2 bits in the spare top bits of bytes 0..<8.
@inline(__always)
func q4KScaleAndMin(_ scales: UnsafeRawPointer, _ j: Int) -> (scale: Int, min: Int) {
    let q = scales.assumingMemoryBound(to: UInt8.self)
    if j < 4 {
        return (Int(q[j] & 63), Int(q[j + 4] & 63))
    }
    let scale = Int(q[j + 4] & 0xF) | (Int(q[j - 4] >> 6) << 4)
    let min = Int(q[j + 4] >> 4) | (Int(q[j] >> 6) << 4)
    return (scale, min)
}

/// Q4_K: d (f16), dmin (f16), scales [12], qs [128]. Each 64 values share 32 bytes of qs: the low nibbles are the
/// first 32 values (sub-block 2i), the high nibbles the next 32 (sub-block 2i + 1).
private func dequantizeQ4_K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    let dmin = half(block, 2)
    let scales = block + 4
    for pair in 0..<4 {
        let (scaleLow, minLow) = q4KScaleAndMin(scales, 2 * pair)
        let (scaleHigh, minHigh) = q4KScaleAndMin(scales, 2 * pair + 1)
        for l in 0..<32 {
            let q = byte(block, 16 + 32 * pair + l)
            y[64 * pair + l] = d * Float(scaleLow) * Float(q & 0xF) - dmin * Float(minLow)
            y[64 * pair + 32 + l] = d * Float(scaleHigh) * Float(q >> 4) - dmin * Float(minHigh)
        }
    }
}

/// Q6_K: ql [128], qh [64], scales [16] int8, d (f16). Each 128 values use 64 bytes of ql and 32 of qh: value
/// l + 32k (k = 0..<4) takes nibble k / 2 of ql[l + 32 (k % 2)] and bits 2k..2k+1 of qh[l]; one scale per 16 values.
private func dequantizeQ6_K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = half(block, 208)
    for half in 0..<2 {
        let ql = 64 * half
        let qh = 128 + 32 * half
        for l in 0..<32 {
            let h = byte(block, qh + l)
            let q1 = ((byte(block, ql + l) & 0xF) | ((h & 3) << 4)) - 32
            let q2 = ((byte(block, ql + l + 32) & 0xF) | (((h >> 2) & 3) << 4)) - 32
            let q3 = ((byte(block, ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32
            let q4 = ((byte(block, ql + l + 32) >> 4) | (((h >> 6) & 3) << 4)) - 32
            let base = 128 * half + l
            for (k, q) in [q1, q2, q3, q4].enumerated() {
                let scale = signedByte(block, 192 + (base + 32 * k) / 16)
                y[base + 32 * k] = d * Float(scale) * Float(q)
            }
        }
    }
}

/// Q8_K: d (f32), 256 x int8, 16 x int16 sums (unused here).
private func dequantizeQ8_K(_ block: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
    let d = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
    for j in 0..<256 {
        y[j] = d * Float(signedByte(block, 4 + j))
    }
}
