import Testing

@testable import GGUF

@Suite struct GGMLTypeTests {
    @Test func blockSizesAndBytesMatchGgmlsTypeTable() {
        let table: [(GGMLType, Int, Int)] = [
            (.f32, 1, 4), (.f16, 1, 2), (.bf16, 1, 2), (.q4_0, 32, 18), (.q4_1, 32, 20), (.q5_0, 32, 22),
            (.q5_1, 32, 24), (.q8_0, 32, 34), (.q8_1, 32, 36), (.q2_K, 256, 84), (.q3_K, 256, 110),
            (.q4_K, 256, 144), (.q5_K, 256, 176), (.q6_K, 256, 210), (.q8_K, 256, 292), (.iq4_NL, 32, 18),
            (.iq4_XS, 256, 136), (.iq2_XXS, 256, 66), (.iq1_M, 256, 56),
        ]
        for (type, blockSize, bytes) in table {
            #expect(type.blockSize == blockSize, "\(type)")
            #expect(type.bytesPerBlock == bytes, "\(type)")
        }
    }

    @Test func typeNumbersMatchTheFileFormat() {
        #expect(GGMLType(rawValue: 3) == .q4_1)
        #expect(GGMLType(rawValue: 14) == .q6_K)
        #expect(GGMLType(rawValue: 30) == .bf16)
        #expect(GGMLType(rawValue: 4) == nil)
        #expect(GGMLType(rawValue: 31) == nil)
    }

    @Test func byteCountOfAQuantizedMatrixIsBlocksTimesBlockBytes() {
        #expect(GGMLType.q4_1.byteCount(shape: [576, 1536]) == .success(576 / 32 * 1536 * 20))
        #expect(GGMLType.q6_K.byteCount(shape: [512, 3]) == .success(2 * 3 * 210))
        #expect(GGMLType.f32.byteCount(shape: []) == .success(4))
    }

    @Test func byteCountRefusesRowsThatAreNotWholeBlocks() {
        #expect(
            GGMLType.q4_K.byteCount(shape: [576, 2]) == .failure(.rowNotMultipleOfBlock(rowLength: 576, blockSize: 256))
        )
    }

    @Test func byteCountRefusesZeroDimensionsTooManyDimensionsAndOverflow() {
        #expect(GGMLType.f32.byteCount(shape: [4, 0]) == .failure(.nonPositiveDimension(0)))
        #expect(GGMLType.f32.byteCount(shape: [1, 1, 1, 1, 1]) == .failure(.tooManyDimensions(5)))
        #expect(GGMLType.f32.byteCount(shape: [1 << 32, 1 << 32]) == .failure(.elementCountOverflows))
        #expect(GGMLType.f32.byteCount(shape: [1 << 62]) == .failure(.elementCountOverflows))
    }
}
