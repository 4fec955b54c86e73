import Foundation
import TutorCore

/// The element type of a CTranslate2 variable, numbered as `model.bin` stores it.
public enum CTranslate2DType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// 32-bit IEEE float.
    case float32 = 0
    /// Signed 8-bit integer.
    case int8 = 1
    /// Signed 16-bit integer.
    case int16 = 2
    /// Signed 32-bit integer.
    case int32 = 3
    /// 16-bit IEEE float.
    case float16 = 4

    /// The bytes one element occupies.
    public var byteCount: Int {
        switch self {
        case .float32, .int32: 4
        case .int16, .float16: 2
        case .int8: 1
        }
    }

    /// The name CTranslate2 uses, such as `float16`.
    public var description: String {
        switch self {
        case .float32: "float32"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .float16: "float16"
        }
    }
}

/// One named array of a CTranslate2 model.
public struct CTranslate2Variable: Sendable, Equatable {
    /// The name, such as `encoder/layer_0/self_attention/linear_0/weight`.
    public let name: String
    /// The dimensions in row-major order as stored (`shape.last` is contiguous); empty for a scalar.
    public let shape: [Int]
    /// The element type.
    public let dtype: CTranslate2DType
    /// The offset of the data from the start of the file.
    public let offset: Int
    /// The number of bytes of data.
    public let byteCount: Int

    /// The number of elements (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A CTranslate2 `model.bin`, memory-mapped and validated when opened.
///
/// ```swift
/// let model = try CTranslate2Model(path: "whisper-tiny.en/model.bin")
/// print(model.specName, model.variables.count)               // "WhisperSpec", 148
/// let heads = try model.scalarInt("encoder/num_heads")       // 6
/// let bytes = try model.data(of: "decoder/projection/weight")  // resolves the alias to the embeddings
/// ```
///
/// The layout (little-endian, binary version 6): u32 version, string spec name, u32 spec revision, u32 variable
/// count; per variable: string name, u8 rank, rank x u32 dimensions, u8 dtype, u32 byte count, the bytes; then
/// u32 alias count and (alias, target) string pairs. A string is a u16 length, then that many bytes ending in NUL.
/// Every length and count is checked against the file size before it is used, and the file must end exactly after
/// the alias table. A model is immutable and safe to share between threads.
public final class CTranslate2Model: Sendable {
    /// The file the model was read from (as given, for messages).
    public let path: String
    /// The binary format version (always 6 here).
    public let binaryVersion: UInt32
    /// The model specification's name, such as `WhisperSpec`.
    public let specName: String
    /// The specification's revision number.
    public let specRevision: UInt32
    /// Every variable in file order.
    public let variables: [CTranslate2Variable]
    /// Alias name to the name of the variable it stands for.
    public let aliases: [String: String]
    /// The alias names in file order.
    public let aliasNames: [String]
    /// The size of the file in bytes.
    public var fileSize: Int { bytes.count }

    private let bytes: MappedFile
    private let index: [String: Int]

    /// The binary version this reader understands.
    public static let supportedBinaryVersion: UInt32 = 6

    /// Maps and validates the file at `path`.
    public convenience init(path: String) throws {
        let bytes: MappedFile
        do {
            bytes = try MappedFile(mappingFileAt: path)
        } catch {
            throw CTranslate2Error.cannotOpen(path: path, reason: error.reason)
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Validates model bytes held in memory, labelled `path` in errors; for tests.
    public convenience init(data: Data, path: String = "<memory>") throws {
        try self.init(bytes: MappedFile(copying: data), path: path)
    }

    private init(bytes: MappedFile, path: String) throws {
        self.path = path
        self.bytes = bytes
        var reader = Reader(bytes: bytes, path: path)
        binaryVersion = try reader.read(UInt32.self, "the binary version")
        if binaryVersion != Self.supportedBinaryVersion {
            throw CTranslate2Error.unsupportedVersion(path: path, found: binaryVersion)
        }
        specName = try reader.readString("the spec name")
        specRevision = try reader.read(UInt32.self, "the spec revision")
        // The smallest variable: a one-character name (2 + 2), rank (1), dtype (1), byte count (4).
        let variableCount = try reader.readCount(UInt32.self, "the variable count", minimumElementBytes: 10)
        var variables: [CTranslate2Variable] = []
        var index: [String: Int] = [:]
        variables.reserveCapacity(variableCount)
        for number in 0..<variableCount {
            let name = try reader.readString("the name of variable \(number)")
            let rank = Int(try reader.read(UInt8.self, "the rank of '\(name)'"))
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try reader.read(UInt32.self, "the dimensions of '\(name)'"))) }
            let rawType = try reader.read(UInt8.self, "the dtype of '\(name)'")
            guard let dtype = CTranslate2DType(rawValue: rawType) else {
                throw CTranslate2Error.unknownDType(path: path, variable: name, found: rawType)
            }
            let byteCount = Int(try reader.read(UInt32.self, "the byte count of '\(name)'"))
            // Each dimension is below 2^32 and there are at most 255, so compute with overflow checks.
            var expected = dtype.byteCount
            for dimension in shape {
                let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
                expected = overflow ? Int.max : product
            }
            if expected != byteCount {
                throw CTranslate2Error.byteCountMismatch(
                    path: path, variable: name, shape: shape, dtype: "\(dtype)", expected: expected, found: byteCount)
            }
            try reader.require(byteCount, reading: "the data of '\(name)'")
            let variable = CTranslate2Variable(
                name: name, shape: shape, dtype: dtype, offset: reader.position, byteCount: byteCount)
            reader.position += byteCount
            if index.updateValue(variables.count, forKey: name) != nil {
                throw CTranslate2Error.duplicateName(path: path, name: name)
            }
            variables.append(variable)
        }
        // The smallest alias: two one-character strings.
        let aliasCount = try reader.readCount(UInt32.self, "the alias count", minimumElementBytes: 6)
        var aliases: [String: String] = [:]
        var aliasNames: [String] = []
        for number in 0..<aliasCount {
            let alias = try reader.readString("the name of alias \(number)")
            let target = try reader.readString("the target of alias '\(alias)'")
            if index[alias] != nil || aliases[alias] != nil {
                throw CTranslate2Error.duplicateName(path: path, name: alias)
            }
            aliases[alias] = target
            aliasNames.append(alias)
        }
        for alias in aliasNames where index[aliases[alias]!] == nil {
            throw CTranslate2Error.unknownAliasTarget(path: path, alias: alias, target: aliases[alias]!)
        }
        if reader.position != bytes.count {
            throw CTranslate2Error.trailingBytes(path: path, offset: reader.position, fileSize: bytes.count)
        }
        self.variables = variables
        self.index = index
        self.aliases = aliases
        self.aliasNames = aliasNames
    }

    /// The variable called `name`, following an alias to its target; nil if there is none.
    public func variable(named name: String) -> CTranslate2Variable? {
        if let position = index[name] { return variables[position] }
        if let target = aliases[name], let position = index[target] { return variables[position] }
        return nil
    }

    /// The variable called `name` (aliases followed), or `CTranslate2Error.missingVariable`.
    public func requireVariable(_ name: String) throws -> CTranslate2Variable {
        guard let variable = variable(named: name) else {
            throw CTranslate2Error.missingVariable(path: path, variable: name)
        }
        return variable
    }

    /// A copy of the bytes of the variable called `name` (aliases followed).
    public func data(of name: String) throws -> Data {
        let variable = try requireVariable(name)
        return bytes.data(offset: variable.offset, byteCount: variable.byteCount)
    }

    /// A copy of `variable`'s bytes.
    public func data(of variable: CTranslate2Variable) -> Data {
        bytes.data(offset: variable.offset, byteCount: variable.byteCount)
    }

    /// The value of an integer scalar variable (a flag or a count such as `encoder/num_heads`).
    public func scalarInt(_ name: String) throws -> Int {
        let variable = try requireVariable(name)
        guard variable.shape.isEmpty, variable.dtype != .float32, variable.dtype != .float16 else {
            throw CTranslate2Error.unexpectedVariable(
                path: path, variable: name, expected: "an integer scalar",
                found: "\(variable.dtype) with shape \(variable.shape)")
        }
        switch variable.dtype {
        case .int8: return Int(Int8(bitPattern: bytes.load(UInt8.self, at: variable.offset)))
        case .int16: return Int(Int16(bitPattern: bytes.load(UInt16.self, at: variable.offset)))
        case .int32: return Int(Int32(bitPattern: bytes.load(UInt32.self, at: variable.offset)))
        case .float32, .float16: return 0
        }
    }

    /// The variable's values as floats (float32 or float16 variables only); for tests and small tensors.
    public func floats(of name: String) throws -> [Float] {
        let variable = try requireVariable(name)
        let buffer = bytes.buffer(offset: variable.offset, byteCount: variable.byteCount)
        switch variable.dtype {
        case .float32:
            return (0..<variable.elementCount).map {
                Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        case .float16:
            return (0..<variable.elementCount).map {
                Float(halfBits: UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))
            }
        default:
            throw CTranslate2Error.unexpectedVariable(
                path: path, variable: name, expected: "float32 or float16", found: "\(variable.dtype)")
        }
    }

    private struct Reader {
        let bytes: MappedFile
        let path: String
        var position = 0

        func require(_ count: Int, reading what: String) throws {
            if count < 0 || count > bytes.count - position {
                throw CTranslate2Error.truncated(
                    path: path, reading: what, offset: position, needed: count, fileSize: bytes.count)
            }
        }

        mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
            try require(MemoryLayout<T>.size, reading: what)
            defer { position += MemoryLayout<T>.size }
            return bytes.load(T.self, at: position)
        }

        mutating func readCount<T: FixedWidthInteger>(
            _ type: T.Type, _ what: String, minimumElementBytes: Int
        ) throws -> Int {
            let count = Int(try read(T.self, what))
            let limit = (bytes.count - position) / minimumElementBytes
            if count > limit {
                throw CTranslate2Error.implausibleCount(path: path, what: what, count: count, limit: limit)
            }
            return count
        }

        mutating func readString(_ what: String) throws -> String {
            let start = position
            let length = Int(try read(UInt16.self, "the length of \(what)"))
            try require(length, reading: what)
            let buffer = bytes.buffer(offset: position, byteCount: length)
            guard length > 0, buffer[length - 1] == 0,
                let string = String(validating: buffer.prefix(length - 1), as: UTF8.self)
            else {
                throw CTranslate2Error.invalidString(path: path, reading: what, offset: start)
            }
            position += length
            return string
        }
    }
}

extension Float {
    /// The value of IEEE half-precision bits (exact: every half is a float).
    init(halfBits bits: UInt16) {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            self.init(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        } else if exponent != 0 {
            self.init(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        } else {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign != 0 ? -magnitude : magnitude
        }
    }
}
