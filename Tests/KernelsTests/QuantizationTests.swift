import Testing

@testable import Kernels

/// Decodes one hand-made block (little-endian bytes as ggml writes them).
private func decode(_ type: TensorType, _ bytes: [UInt8]) -> [Float] {
    bytes.withUnsafeBytes { dequantizeRow(type, $0, count: type.blockElementCount) }
}

@Suite("Block layouts and reference quantization")
struct QuantizationTests {
    // Hand-made blocks: each sets a few fields to known values so a wrong offset or bit order shows.

    @Test func decodesAHandMadeQ8_0Block() {
        var block = [UInt8](repeating: 0, count: 34)
        block[0...1] = [0x00, 0x40]  // d = 2
        block[2] = UInt8(bitPattern: -3)
        block[33] = 5
        var expected = [Float](repeating: 0, count: 32)
        expected[0] = -6
        expected[31] = 10
        #expect(decode(.q8_0, block) == expected)
    }

    @Test func decodesAHandMadeQ4_0BlockWithLowNibblesFirst() {
        var block = [UInt8](repeating: 0x88, count: 18)
        block[0...1] = [0x00, 0x3C]  // d = 1
        block[2] = 0x21
        var expected = [Float](repeating: 0, count: 32)
        expected[0] = -7
        expected[16] = -6
        #expect(decode(.q4_0, block) == expected)
    }

    @Test func decodesAHandMadeQ4_1BlockWithItsMinimum() {
        var block = [UInt8](repeating: 0, count: 20)
        block[0...3] = [0x00, 0x38, 0x00, 0xBC]  // d = 0.5, m = -1
        block[5] = 0xF3
        var expected = [Float](repeating: -1, count: 32)
        expected[1] = 0.5
        expected[17] = 6.5
        #expect(decode(.q4_1, block) == expected)
    }

    @Test func decodesAHandMadeQ5_0BlockWithItsFifthBits() {
        var block = [UInt8](repeating: 0, count: 22)
        block[0...1] = [0x00, 0x3C]  // d = 1
        block[2...5] = [0x01, 0x00, 0x02, 0x00]  // fifth bits of values 0 and 17
        block[7] = 0x10  // value 17's low four bits: 1
        var expected = [Float](repeating: -16, count: 32)
        expected[0] = 0
        expected[17] = 1
        #expect(decode(.q5_0, block) == expected)
    }

    @Test func decodesAHandMadeQ4_KBlockWithPackedSixBitScales() {
        var block = [UInt8](repeating: 0, count: 144)
        block[0...3] = [0x00, 0x3C, 0x00, 0x3C]  // d = 1, dmin = 1
        let scales = 4
        block[scales + 0] = 2  // sub-block 0: scale 2
        block[scales + 4] = 3  // sub-block 0: min 3
        block[scales + 1] = 0x80  // sub-block 5: top bits of scale 33 (0b10_0001)
        block[scales + 5] = 0x40  // sub-block 5: top bits of min 17 (0b01_0001)
        block[scales + 9] = 0x11  // sub-block 5: low bits of scale and min
        block[16 + 0] = 0x07  // value 0 (sub-block 0, low nibble): 7
        block[16 + 64 + 4] = 0x90  // value 164 (sub-block 5, high nibble of pair 2): 9
        var expected = [Float](repeating: 0, count: 256)
        for i in 0..<32 { expected[i] = -3 }
        for i in 160..<192 { expected[i] = -17 }
        expected[0] = 2 * 7 - 3
        expected[164] = 33 * 9 - 17
        #expect(decode(.q4_K, block) == expected)
    }

    @Test func decodesAHandMadeQ6_KBlockWithSplitHighBits() {
        var block = [UInt8](repeating: 0, count: 210)
        block[208...209] = [0x00, 0x3C]  // d = 1
        block[192 + 0] = 1  // scale of values 0..<16
        block[192 + 10] = UInt8(bitPattern: -2)  // scale of values 160..<176
        block[0] = 0x05  // value 0: low four bits 5
        block[128] = 0x02  // value 0: high two bits 2 -> 37 - 32 = 5
        block[96] = 0x0A  // value 160 (second half, l = 0, k = 1): low bits in ql[64 + 32]
        block[160] = 0x0C  // value 160: high bits 3 in bits 2-3 of qh[32] -> 58 - 32 = 26
        var expected = [Float](repeating: 0, count: 256)
        for i in 0..<16 { expected[i] = -32 }
        for i in 160..<176 { expected[i] = 64 }
        expected[0] = 5
        expected[160] = -52
        #expect(decode(.q6_K, block) == expected)
    }

    // ggml's round-to-nearest quantizers, byte for byte, on x = -8, -7, ..., 23.

    private static let ramp: [Float] = (0..<32).map { Float($0) - 8 }

    @Test func quantizesQ8_0AsGgml() {
        let bytes = quantizeRow(.q8_0, Self.ramp)
        #expect(bytes[0...1] == [0xCC, 0x31])  // d = 23 / 127 in f16
        #expect(Int8(bitPattern: bytes[2]) == -44)
        #expect(Int8(bitPattern: bytes[3]) == -39)
        #expect(Int8(bitPattern: bytes[33]) == 127)
    }

    @Test func quantizesQ4_0AsGgmlWithTheSignedMaximum() {
        let bytes = quantizeRow(.q4_0, Self.ramp)
        #expect(bytes[0...1] == [0xC0, 0xC1])  // d = 23 / -8 = -2.875
        #expect(bytes[2] == 0x5B)  // values 0 (11) and 16 (5)
        #expect(bytes[17] == 0x06)  // values 15 (6) and 31 (0)
    }

    @Test func quantizesQ4_1AsGgml() {
        let bytes = quantizeRow(.q4_1, Self.ramp)
        #expect(bytes[0...3] == [0x22, 0x40, 0x00, 0xC8])  // d = 31 / 15, m = -8
        #expect(Array(bytes[4...6]) == [0x80, 0x80, 0x91])
        #expect(bytes[19] == 0xF7)
    }

    @Test(arguments: [
        (TensorType.f32, Float(1e-7)), (.f16, 1e-3), (.bf16, 5e-3), (.q8_0, 1e-2), (.q4_0, 0.1), (.q4_1, 0.1),
        (.q5_0, 0.05), (.q5_1, 0.05), (.q4_K, 0.12), (.q6_K, 0.03), (.q8_K, 1e-2),
    ])
    func roundTripStaysWithinTheTypesPrecision(type: TensorType, tolerance: Float) {
        var generator = SeededGenerator(seed: 7)
        let x = randomFloats(4 * 256, scale: 3, using: &generator)
        let bytes = quantizeRow(type, x)
        let back = bytes.withUnsafeBytes { dequantizeRow(type, $0, count: x.count) }
        #expect(relativeError(back, x) < tolerance, "\(type)")
    }

    @Test func q8_KStoresItsSumsOfSixteen() {
        var generator = SeededGenerator(seed: 3)
        let bytes = quantizeRow(.q8_K, randomFloats(256, using: &generator))
        for group in 0..<16 {
            let values = (0..<16).map { Int(Int8(bitPattern: bytes[4 + 16 * group + $0])) }
            let stored = Int(Int16(bitPattern: UInt16(bytes[260 + 2 * group]) | UInt16(bytes[261 + 2 * group]) << 8))
            #expect(stored == values.reduce(0, +))
        }
    }

    @Test func zerosQuantizeToZeros() {
        for type in TensorType.allCases {
            let x = [Float](repeating: 0, count: 256)
            let back = quantizeRow(type, x).withUnsafeBytes { dequantizeRow(type, $0, count: 256) }
            #expect(back == x, "\(type)")
        }
    }
}
