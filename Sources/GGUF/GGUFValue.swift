import Foundation
import TutorCore

/// The type of a GGUF metadata value, as numbered in the file.
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// Unsigned 8-bit integer.
    case uint8 = 0
    /// Signed 8-bit integer.
    case int8 = 1
    /// Unsigned 16-bit integer.
    case uint16 = 2
    /// Signed 16-bit integer.
    case int16 = 3
    /// Unsigned 32-bit integer.
    case uint32 = 4
    /// Signed 32-bit integer.
    case int32 = 5
    /// 32-bit IEEE float.
    case float32 = 6
    /// One byte, 0 or 1.
    case bool = 7
    /// A 64-bit byte length, then UTF-8 bytes without a terminator.
    case string = 8
    /// An element type, a 64-bit element count, then the elements (arrays may nest).
    case array = 9
    /// Unsigned 64-bit integer.
    case uint64 = 10
    /// Signed 64-bit integer.
    case int64 = 11
    /// 64-bit IEEE float.
    case float64 = 12

    /// The bytes one value of this type occupies, or nil for strings and arrays (their size varies).
    public var fixedByteCount: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }

    /// The fewest bytes one value of this type can occupy (an empty string or array still has its header).
    var minimumByteCount: Int {
        switch self {
        case .string: 8
        case .array: 12
        default: fixedByteCount ?? 1
        }
    }

    /// The type's name as the GGUF spec writes it, such as `uint32`.
    public var description: String {
        switch self {
        case .uint8: "uint8"
        case .int8: "int8"
        case .uint16: "uint16"
        case .int16: "int16"
        case .uint32: "uint32"
        case .int32: "int32"
        case .float32: "float32"
        case .bool: "bool"
        case .string: "string"
        case .array: "array"
        case .uint64: "uint64"
        case .int64: "int64"
        case .float64: "float64"
        }
    }
}

/// One GGUF metadata value.
///
/// Read typed values through the optional accessors: `metadata["llama.block_count"]?.int`. Integer accessors accept
/// any integer type whose value fits, because converters disagree on whether counts are uint32 or int32.
public enum GGUFValue: Sendable, Equatable, CustomStringConvertible {
    /// Unsigned 8-bit integer.
    case uint8(UInt8)
    /// Signed 8-bit integer.
    case int8(Int8)
    /// Unsigned 16-bit integer.
    case uint16(UInt16)
    /// Signed 16-bit integer.
    case int16(Int16)
    /// Unsigned 32-bit integer.
    case uint32(UInt32)
    /// Signed 32-bit integer.
    case int32(Int32)
    /// Unsigned 64-bit integer.
    case uint64(UInt64)
    /// Signed 64-bit integer.
    case int64(Int64)
    /// 32-bit float.
    case float32(Float)
    /// 64-bit float.
    case float64(Double)
    /// Boolean.
    case bool(Bool)
    /// UTF-8 string (invalid UTF-8 in a file is repaired with U+FFFD; arrays give the raw bytes too).
    case string(String)
    /// An array of one element type.
    case array(GGUFArray)

    /// The value's type as stored in the file.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// The value as an Int if it is an integer that fits, else nil.
    public var int: Int? {
        switch self {
        case .uint8(let value): Int(value)
        case .int8(let value): Int(value)
        case .uint16(let value): Int(value)
        case .int16(let value): Int(value)
        case .uint32(let value): Int(value)
        case .int32(let value): Int(value)
        case .uint64(let value): Int(exactly: value)
        case .int64(let value): Int(value)
        default: nil
        }
    }

    /// The value as a Float if it is a float32 or float64 (narrowed), else nil.
    public var float: Float? {
        switch self {
        case .float32(let value): value
        case .float64(let value): Float(value)
        default: nil
        }
    }

    /// The value as a Double if it is a float32 or float64, else nil.
    public var double: Double? {
        switch self {
        case .float32(let value): Double(value)
        case .float64(let value): value
        default: nil
        }
    }

    /// The value if it is a boolean, else nil.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value if it is a string, else nil.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value if it is an array, else nil.
    public var array: GGUFArray? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// A short rendering for logs: scalars in full, arrays as their type and count.
    public var description: String {
        switch self {
        case .uint8(let value): "\(value)"
        case .int8(let value): "\(value)"
        case .uint16(let value): "\(value)"
        case .int16(let value): "\(value)"
        case .uint32(let value): "\(value)"
        case .int32(let value): "\(value)"
        case .uint64(let value): "\(value)"
        case .int64(let value): "\(value)"
        case .float32(let value): "\(value)"
        case .float64(let value): "\(value)"
        case .bool(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let value): "[\(value.elementType) x \(value.count)]"
        }
    }
}

/// A GGUF metadata array, read from the mapped file on demand.
///
/// Elements are not decoded at load: a 49,152-token vocabulary costs one offset per string until it is asked for.
/// `strings`, `ints` and `floats` decode the whole array; `string(at:)` and `withStringBytes(at:_:)` decode one.
public struct GGUFArray: Sendable, Equatable {
    /// The type every element has.
    public let elementType: GGUFValueType
    /// The number of elements.
    public let count: Int
    private let storage: Storage

    private enum Storage: Sendable {
        /// Fixed-size elements from `start` on.
        case mappedScalars(MappedFile, start: Int)
        /// Strings: each element's byte offset and length in the mapping (past its length prefix).
        case mappedStrings(MappedFile, offsets: [Int], lengths: [Int])
        /// Decoded values (nested arrays, and arrays built for writing).
        case values([GGUFValue])
    }

    /// An array of `values`, which must all have type `elementType` (the writer checks).
    public init(_ values: [GGUFValue], elementType: GGUFValueType) {
        self.elementType = elementType
        count = values.count
        storage = .values(values)
    }

    /// An array of strings.
    public init(strings: [String]) {
        self.init(strings.map(GGUFValue.string), elementType: .string)
    }

    /// An array of int32 values (token types, for example).
    public init(int32s: [Int32]) {
        self.init(int32s.map(GGUFValue.int32), elementType: .int32)
    }

    /// An array of float32 values (token scores, for example).
    public init(float32s: [Float]) {
        self.init(float32s.map(GGUFValue.float32), elementType: .float32)
    }

    init(mapping: MappedFile, elementType: GGUFValueType, count: Int, start: Int) {
        self.elementType = elementType
        self.count = count
        storage = .mappedScalars(mapping, start: start)
    }

    init(mapping: MappedFile, stringOffsets: [Int], lengths: [Int]) {
        elementType = .string
        count = stringOffsets.count
        storage = .mappedStrings(mapping, offsets: stringOffsets, lengths: lengths)
    }

    /// The element at `index` (0..<count); nil outside the array.
    public subscript(index: Int) -> GGUFValue? {
        guard index >= 0, index < count else { return nil }
        switch storage {
        case .values(let values):
            return values[index]
        case .mappedStrings:
            return string(at: index).map(GGUFValue.string)
        case .mappedScalars(let mapping, let start):
            let offset = start + index * (elementType.fixedByteCount ?? 0)
            switch elementType {
            case .uint8: return .uint8(mapping.load(UInt8.self, at: offset))
            case .int8: return .int8(mapping.load(Int8.self, at: offset))
            case .uint16: return .uint16(mapping.load(UInt16.self, at: offset))
            case .int16: return .int16(mapping.load(Int16.self, at: offset))
            case .uint32: return .uint32(mapping.load(UInt32.self, at: offset))
            case .int32: return .int32(mapping.load(Int32.self, at: offset))
            case .uint64: return .uint64(mapping.load(UInt64.self, at: offset))
            case .int64: return .int64(mapping.load(Int64.self, at: offset))
            case .float32: return .float32(Float(bitPattern: mapping.load(UInt32.self, at: offset)))
            case .float64: return .float64(Double(bitPattern: mapping.load(UInt64.self, at: offset)))
            case .bool: return .bool(mapping.load(UInt8.self, at: offset) != 0)
            case .string, .array: return nil
            }
        }
    }

    /// Every element, decoded.
    public var values: [GGUFValue] {
        if case .values(let values) = storage { return values }
        return (0..<count).compactMap { self[$0] }
    }

    /// The string at `index`, or nil if this is not a string array or the index is outside it.
    public func string(at index: Int) -> String? {
        guard elementType == .string, index >= 0, index < count else { return nil }
        if case .values(let values) = storage { return values[index].string }
        return withStringBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the raw bytes of the string at `index` (valid only inside `body`); nil if there is none.
    public func withStringBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard elementType == .string, index >= 0, index < count else { return nil }
        switch storage {
        case .mappedStrings(let mapping, let offsets, let lengths):
            return try withExtendedLifetime(mapping) {
                try body(mapping.buffer(offset: offsets[index], byteCount: lengths[index]))
            }
        case .values(let values):
            guard var string = values[index].string else { return nil }
            return try string.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        case .mappedScalars:
            return nil
        }
    }

    /// Every element as a string, or nil if this is not a string array.
    public var strings: [String]? {
        guard elementType == .string else { return nil }
        return (0..<count).map { string(at: $0) ?? "" }
    }

    /// Every element as an Int, or nil if this is not an integer array or a value does not fit.
    public var ints: [Int]? {
        let integerTypes: Set<GGUFValueType> = [.uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64]
        guard integerTypes.contains(elementType) else { return nil }
        var result: [Int] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let value = self[index]?.int else { return nil }
            result.append(value)
        }
        return result
    }

    /// Every element as a Float, or nil if this is not a float array.
    public var floats: [Float]? {
        guard elementType == .float32 || elementType == .float64 else { return nil }
        var result: [Float] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let value = self[index]?.float else { return nil }
            result.append(value)
        }
        return result
    }

    /// Whether two arrays have the same element type and the same elements, wherever they are stored.
    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        lhs.elementType == rhs.elementType && lhs.count == rhs.count && lhs.values == rhs.values
    }
}
