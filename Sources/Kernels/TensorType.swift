/// A tensor element type, with ggml's numbering as stored in GGUF files.
///
/// Block layouts (little-endian, packed, as in ggml's `ggml-common.h`):
/// - `f32`, `f16`, `bf16`: one element per "block".
/// - `q8_0` (34 bytes / 32 values): `d: f16`, `qs: [32] int8`; x = d * q.
/// - `q4_0` (18 bytes / 32 values): `d: f16`, `qs: [16] u8`; value j is the low nibble of qs[j], value j + 16 the
///   high nibble; x = d * (q - 8).
/// - `q4_1` (20 bytes / 32 values): `d: f16`, `m: f16`, `qs: [16] u8` as q4_0; x = d * q + m.
/// - `q5_0` (22 bytes / 32 values): `d: f16`, `qh: u32` (bit j is the fifth bit of value j), `qs` as q4_0;
///   x = d * (q - 16).
/// - `q5_1` (24 bytes / 32 values): `d: f16`, `m: f16`, `qh: u32`, `qs: [16] u8`; x = d * q + m.
/// - `q4_K` (144 bytes / 256 values): `d: f16`, `dmin: f16`, `scales: [12] u8` (eight 6-bit scales and eight 6-bit
///   mins, packed), `qs: [128] u8`; sub-block j of 32 values: x = d * scale_j * q - dmin * min_j.
/// - `q6_K` (210 bytes / 256 values): `ql: [128] u8` (low 4 bits), `qh: [64] u8` (high 2 bits), `scales: [16] int8`
///   (one per 16 values), `d: f16`; x = d * scale * (q - 32).
/// - `q8_K` (292 bytes / 256 values): `d: f32`, `qs: [256] int8`, `bsums: [16] int16`; x = d * q.
public enum TensorType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q4_K = 12
    case q6_K = 14
    case q8_K = 15
    case bf16 = 30

    /// The number of values one block holds.
    public var blockElementCount: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: 32
        case .q4_K, .q6_K, .q8_K: 256
        }
    }

    /// The number of bytes one block takes.
    public var blockByteCount: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q8_0: 34
        case .q4_K: 144
        case .q6_K: 210
        case .q8_K: 292
        }
    }

    /// The number of bytes a row of `cols` values takes; `cols` must be a multiple of `blockElementCount`.
    public func rowByteCount(cols: Int) -> Int {
        precondition(cols % blockElementCount == 0, "\(self): \(cols) values is not a whole number of blocks")
        return cols / blockElementCount * blockByteCount
    }

    /// ggml's name for the type, as llama.cpp prints it ("q4_K", "f16").
    public var description: String {
        switch self {
        case .f32: "f32"
        case .f16: "f16"
        case .bf16: "bf16"
        case .q4_0: "q4_0"
        case .q4_1: "q4_1"
        case .q5_0: "q5_0"
        case .q5_1: "q5_1"
        case .q8_0: "q8_0"
        case .q4_K: "q4_K"
        case .q6_K: "q6_K"
        case .q8_K: "q8_K"
        }
    }
}

/// A matrix of weights in ggml's layout: `rows` rows of `cols` values, each row `type.rowByteCount(cols:)` bytes.
///
/// The bytes are borrowed (usually from a memory-mapped GGUF file): the caller keeps them alive while the matrix is
/// in use.
public struct WeightMatrix: @unchecked Sendable {
    /// The element type of every row.
    public let type: TensorType
    /// The number of rows (outputs of a matrix-vector product; ggml's ne[1]).
    public let rows: Int
    /// The number of values in a row (inputs of a matrix-vector product; ggml's ne[0]).
    public let cols: Int
    /// The raw blocks. // (rows, rowByteCount)
    public let data: UnsafeRawPointer
    /// The number of bytes one row takes.
    public let rowByteCount: Int

    /// Wraps `data`, which must hold at least `rows * type.rowByteCount(cols:)` bytes.
    public init(type: TensorType, rows: Int, cols: Int, data: UnsafeRawBufferPointer) {
        let rowByteCount = type.rowByteCount(cols: cols)
        precondition(data.count >= rows * rowByteCount, "\(type) (\(rows), \(cols)) needs \(rows * rowByteCount) bytes")
        self.type = type
        self.rows = rows
        self.cols = cols
        self.data = data.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        self.rowByteCount = rowByteCount
    }

    /// The total number of weight bytes.
    public var byteCount: Int { rows * rowByteCount }

    /// The first byte of row `row`.
    @inline(__always)
    public func row(_ row: Int) -> UnsafeRawPointer { data + row * rowByteCount }
}
