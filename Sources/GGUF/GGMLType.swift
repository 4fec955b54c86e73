/// A ggml tensor element type, as numbered in GGUF files.
///
/// Quantized types store a row as blocks: `blockSize` consecutive values packed into `bytesPerBlock` bytes, so a
/// row's length (the tensor's innermost dimension) must be a multiple of `blockSize`. Block sizes and byte counts
/// follow ggml's type table; the numbers that ggml retired (4, 5, 31-33, 36-38) are unknown here on purpose.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit IEEE float.
    case f32 = 0
    /// 16-bit IEEE float.
    case f16 = 1
    /// 32 values: one f16 scale, 32 four-bit values.
    case q4_0 = 2
    /// 32 values: f16 scale and minimum, 32 four-bit values.
    case q4_1 = 3
    /// 32 values: f16 scale, 32 five-bit values.
    case q5_0 = 6
    /// 32 values: f16 scale and minimum, 32 five-bit values.
    case q5_1 = 7
    /// 32 values: f16 scale, 32 int8 values.
    case q8_0 = 8
    /// 32 values: f16 scale and sum, 32 int8 values.
    case q8_1 = 9
    /// 256-value super-block, 2-bit values with 4-bit sub-block scales.
    case q2_K = 10
    /// 256-value super-block, 3-bit values with 6-bit sub-block scales.
    case q3_K = 11
    /// 256-value super-block, 4-bit values with 6-bit sub-block scales and minima.
    case q4_K = 12
    /// 256-value super-block, 5-bit values with 6-bit sub-block scales and minima.
    case q5_K = 13
    /// 256-value super-block, 6-bit values with 8-bit sub-block scales.
    case q6_K = 14
    /// 256-value super-block, int8 values, f32 scale and block sums (an intermediate type for dot products).
    case q8_K = 15
    /// 256-value super-block, 2.0625 bits per value (lattice codebook).
    case iq2_XXS = 16
    /// 256-value super-block, 2.3125 bits per value (lattice codebook).
    case iq2_XS = 17
    /// 256-value super-block, 3.0625 bits per value (lattice codebook).
    case iq3_XXS = 18
    /// 256-value super-block, 1.5625 bits per value (lattice codebook).
    case iq1_S = 19
    /// 32 values: f16 scale, 32 four-bit indices into a non-linear table.
    case iq4_NL = 20
    /// 256-value super-block, 3.4375 bits per value (lattice codebook).
    case iq3_S = 21
    /// 256-value super-block, 2.5625 bits per value (lattice codebook).
    case iq2_S = 22
    /// 256-value super-block, 4.25 bits per value (non-linear table).
    case iq4_XS = 23
    /// 8-bit signed integer.
    case i8 = 24
    /// 16-bit signed integer.
    case i16 = 25
    /// 32-bit signed integer.
    case i32 = 26
    /// 64-bit signed integer.
    case i64 = 27
    /// 64-bit IEEE float.
    case f64 = 28
    /// 256-value super-block, 1.75 bits per value (lattice codebook).
    case iq1_M = 29
    /// bfloat16: the top half of an f32.
    case bf16 = 30
    /// 256-value super-block of ternary values, 1.6875 bits per value.
    case tq1_0 = 34
    /// 256-value super-block of ternary values, 2.0625 bits per value.
    case tq2_0 = 35
    /// 32 values: one shared 8-bit exponent, 32 four-bit e2m1 values.
    case mxfp4 = 39

    /// The number of values packed in one block (1 for plain types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .f64, .i8, .i16, .i32, .i64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_NL, .mxfp4: 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K, .iq2_XXS, .iq2_XS, .iq3_XXS, .iq1_S, .iq3_S, .iq2_S, .iq4_XS,
            .iq1_M, .tq1_0, .tq2_0:
            256
        }
    }

    /// The number of bytes one block occupies in the file.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .f64: 8
        case .i8: 1
        case .i16: 2
        case .i32: 4
        case .i64: 8
        case .q4_0: 18  // f16 d, 16 bytes of nibbles
        case .q4_1: 20  // f16 d, f16 m, 16 bytes of nibbles
        case .q5_0: 22  // f16 d, 4 bytes of high bits, 16 bytes of nibbles
        case .q5_1: 24  // f16 d, f16 m, 4 bytes of high bits, 16 bytes of nibbles
        case .q8_0: 34  // f16 d, 32 int8
        case .q8_1: 36  // f16 d, f16 s, 32 int8
        case .q2_K: 84  // 16 scales, 64 bytes of 2-bit values, f16 d, f16 dmin
        case .q3_K: 110  // 32 bytes high-bit mask, 64 bytes of 2-bit values, 12 scale bytes, f16 d
        case .q4_K: 144  // f16 d, f16 dmin, 12 scale bytes, 128 bytes of nibbles
        case .q5_K: 176  // f16 d, f16 dmin, 12 scale bytes, 32 bytes of high bits, 128 bytes of nibbles
        case .q6_K: 210  // 128 bytes low nibbles, 64 bytes high bits, 16 int8 scales, f16 d
        case .q8_K: 292  // f32 d, 256 int8, 16 int16 block sums
        case .iq2_XXS: 66
        case .iq2_XS: 74
        case .iq3_XXS: 98
        case .iq1_S: 50
        case .iq4_NL: 18
        case .iq3_S: 110
        case .iq2_S: 82
        case .iq4_XS: 136
        case .iq1_M: 56
        case .tq1_0: 54
        case .tq2_0: 66
        case .mxfp4: 17
        }
    }

    /// Whether values are packed in blocks with shared scales (everything but plain floats and integers).
    public var isQuantized: Bool { blockSize > 1 }

    /// The name ggml and llama.cpp print for this type, such as `Q4_1` or `F32`.
    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q8_1: "Q8_1"
        case .q2_K: "Q2_K"
        case .q3_K: "Q3_K"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        case .q8_K: "Q8_K"
        case .iq2_XXS: "IQ2_XXS"
        case .iq2_XS: "IQ2_XS"
        case .iq3_XXS: "IQ3_XXS"
        case .iq1_S: "IQ1_S"
        case .iq4_NL: "IQ4_NL"
        case .iq3_S: "IQ3_S"
        case .iq2_S: "IQ2_S"
        case .iq4_XS: "IQ4_XS"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        case .f64: "F64"
        case .iq1_M: "IQ1_M"
        case .bf16: "BF16"
        case .tq1_0: "TQ1_0"
        case .tq2_0: "TQ2_0"
        case .mxfp4: "MXFP4"
        }
    }

    /// The bytes a tensor of this type and shape occupies, or why that shape cannot be stored in this type.
    ///
    /// `shape` is in ggml order: `shape[0]` is the row length (the contiguous dimension).
    public func byteCount(shape: [Int]) -> Result<Int, GGMLShapeProblem> {
        if shape.count > GGMLType.maximumDimensionCount {
            return .failure(.tooManyDimensions(shape.count))
        }
        var elements = 1
        for dimension in shape {
            if dimension <= 0 { return .failure(.nonPositiveDimension(dimension)) }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            if overflow { return .failure(.elementCountOverflows) }
            elements = product
        }
        let rowLength = shape.first ?? 1
        if rowLength % blockSize != 0 {
            return .failure(.rowNotMultipleOfBlock(rowLength: rowLength, blockSize: blockSize))
        }
        let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        if overflow { return .failure(.elementCountOverflows) }
        return .success(bytes)
    }

    /// The most dimensions a ggml tensor has.
    public static let maximumDimensionCount = 4
}

/// Why a shape cannot be stored in a ggml type.
public enum GGMLShapeProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// More than `GGMLType.maximumDimensionCount` dimensions.
    case tooManyDimensions(Int)
    /// A dimension of zero or less.
    case nonPositiveDimension(Int)
    /// The product of the dimensions (or the byte count) does not fit in an Int.
    case elementCountOverflows
    /// The row length is not a whole number of blocks.
    case rowNotMultipleOfBlock(rowLength: Int, blockSize: Int)

    /// A phrase naming what is wrong, to follow a tensor's name in an error message.
    public var description: String {
        switch self {
        case .tooManyDimensions(let count):
            "has \(count) dimensions, expected at most \(GGMLType.maximumDimensionCount)"
        case .nonPositiveDimension(let dimension):
            "has a dimension of \(dimension), expected every dimension to be positive"
        case .elementCountOverflows:
            "has more elements than fit in 64 bits"
        case .rowNotMultipleOfBlock(let rowLength, let blockSize):
            "has a row length of \(rowLength), expected a multiple of the type's block size \(blockSize)"
        }
    }
}
