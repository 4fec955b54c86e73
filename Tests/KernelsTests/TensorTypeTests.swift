import Testing

@testable import Kernels

@Suite("Tensor types")
struct TensorTypeTests {
    @Test func blockSizesMatchGgml() {
        let expected: [TensorType: (elements: Int, bytes: Int)] = [
            .f32: (1, 4), .f16: (1, 2), .bf16: (1, 2), .q8_0: (32, 34), .q4_0: (32, 18), .q4_1: (32, 20),
            .q5_0: (32, 22), .q5_1: (32, 24), .q4_K: (256, 144), .q6_K: (256, 210), .q8_K: (256, 292),
        ]
        for type in TensorType.allCases {
            #expect(type.blockElementCount == expected[type]?.elements, "\(type)")
            #expect(type.blockByteCount == expected[type]?.bytes, "\(type)")
        }
    }

    @Test func typeNumbersAreGgufs() {
        #expect(TensorType(rawValue: 3) == .q4_1)
        #expect(TensorType(rawValue: 12) == .q4_K)
        #expect(TensorType(rawValue: 14) == .q6_K)
        #expect(TensorType(rawValue: 30) == .bf16)
        #expect(TensorType(rawValue: 4) == nil)
    }

    @Test func rowByteCountCountsWholeBlocks() {
        #expect(TensorType.q4_1.rowByteCount(cols: 576) == 18 * 20)
        #expect(TensorType.q6_K.rowByteCount(cols: 1536) == 6 * 210)
        #expect(TensorType.f16.rowByteCount(cols: 7) == 14)
    }

    @Test func halfAndBFloat16ConvertAsIeee() {
        #expect(floatFromHalf(0x3C00) == 1)
        #expect(floatFromHalf(0xC000) == -2)
        #expect(halfFromFloat(0.5) == 0x3800)
        #expect(floatFromBFloat16(0x3F80) == 1)
        #expect(bfloat16FromFloat(1) == 0x3F80)
        // 1 + 2^-8 lies halfway between two bf16 values: ties go to the even one, 1.
        #expect(bfloat16FromFloat(Float(bitPattern: 0x3F80_8000)) == 0x3F80)
        #expect(bfloat16FromFloat(Float(bitPattern: 0x3F81_8000)) == 0x3F82)
    }
}
