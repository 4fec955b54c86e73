// Half-precision conversions. ggml converts f16 with a 64 Ki-entry table (ggml_table_f32_f16); so do we: in a
// loop, `Float(Float16)` carries a false dependency on x86 and halves the speed (DESIGN.md).

/// Every f16 bit pattern converted to Float. // (65536)
nonisolated(unsafe) let halfToFloatTable: UnsafePointer<Float> = {
    let table = UnsafeMutablePointer<Float>.allocate(capacity: 65536)
    for bits in 0..<65536 {
        table[bits] = Float(Float16(bitPattern: UInt16(bits)))
    }
    return UnsafePointer(table)
}()

/// Converts an IEEE half (as its bit pattern) to Float.
@inlinable
public func floatFromHalf(_ bits: UInt16) -> Float {
    Float(Float16(bitPattern: bits))
}

/// Converts a Float to an IEEE half bit pattern, rounding to nearest even (as ggml's F16C path does).
@inlinable
public func halfFromFloat(_ value: Float) -> UInt16 {
    Float16(value).bitPattern
}

/// Converts a bfloat16 bit pattern to Float: bf16 is the top half of an f32.
@inlinable
public func floatFromBFloat16(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// Converts a Float to a bfloat16 bit pattern, rounding to nearest even and keeping NaN a NaN (as ggml does).
@inlinable
public func bfloat16FromFloat(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if bits & 0x7fff_ffff > 0x7f80_0000 {
        return UInt16(truncatingIfNeeded: bits >> 16) | 64  // quiet the NaN
    }
    return UInt16(truncatingIfNeeded: (bits &+ (0x7fff &+ ((bits >> 16) & 1))) >> 16)
}

/// Reads a little-endian f16 at `pointer + offset` through the conversion table.
@inline(__always)
func loadHalf(_ pointer: UnsafeRawPointer, _ offset: Int = 0) -> Float {
    halfToFloatTable[Int(UInt16(littleEndian: pointer.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))]
}
