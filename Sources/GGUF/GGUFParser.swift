import TutorCore

/// Reads the GGUF header, metadata and tensor table from a mapping, checking every read against the file's size.
///
/// Nothing here trusts a number from the file: counts are bounded by the bytes left before anything is allocated,
/// and every length is checked before the bytes it covers are touched.
struct GGUFParser {
    let path: String
    let mapping: MappedFile
    private(set) var position = 0

    /// Arrays nested deeper than this are refused; tokenizers use one level, nothing known uses more than two.
    static let maximumArrayDepth = 8

    init(path: String, mapping: MappedFile) {
        self.path = path
        self.mapping = mapping
    }

    var bytesLeft: Int { mapping.count - position }

    /// Fails unless `byteCount` more bytes are in the file.
    func require(_ byteCount: Int, reading what: @autoclosure () -> String) throws {
        if byteCount < 0 || byteCount > bytesLeft {
            throw GGUFError.truncated(
                path: path, reading: what(), offset: position, needed: byteCount, fileSize: mapping.count)
        }
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, reading: what())
        let value = mapping.load(T.self, at: position)
        position += MemoryLayout<T>.size
        return value
    }

    /// Reads a count and checks that `minimumElementBytes` per element could fit in the rest of the file.
    mutating func readCount(_ what: String, minimumElementBytes: Int) throws -> Int {
        let raw = try read(UInt64.self, what)
        let limit = bytesLeft / max(minimumElementBytes, 1)
        if raw > UInt64(limit) {
            throw GGUFError.implausibleCount(path: path, what: what, count: raw, limit: limit)
        }
        return Int(raw)
    }

    /// Reads a string's length and returns where its bytes are, after checking they are inside the file.
    mutating func readStringSpan(_ what: @autoclosure () -> String) throws -> (offset: Int, length: Int) {
        let rawLength = try read(UInt64.self, what() + " (its length)")
        if rawLength > UInt64(bytesLeft) {
            throw GGUFError.truncated(
                path: path, reading: what(), offset: position, needed: Int(clamping: rawLength),
                fileSize: mapping.count)
        }
        let span = (offset: position, length: Int(rawLength))
        position += span.length
        return span
    }

    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let span = try readStringSpan(what())
        return String(decoding: mapping.buffer(offset: span.offset, byteCount: span.length), as: UTF8.self)
    }

    mutating func readValueType(key: String) throws -> GGUFValueType {
        let raw = try read(UInt32.self, "the value type of metadata '\(key)'")
        guard let type = GGUFValueType(rawValue: raw) else {
            throw GGUFError.unknownValueType(path: path, key: key, rawType: raw)
        }
        return type
    }

    mutating func readValue(of type: GGUFValueType, key: String, depth: Int = 0) throws -> GGUFValue {
        let what = "metadata '\(key)'"
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, what))
        case .int8: return .int8(try read(Int8.self, what))
        case .uint16: return .uint16(try read(UInt16.self, what))
        case .int16: return .int16(try read(Int16.self, what))
        case .uint32: return .uint32(try read(UInt32.self, what))
        case .int32: return .int32(try read(Int32.self, what))
        case .uint64: return .uint64(try read(UInt64.self, what))
        case .int64: return .int64(try read(Int64.self, what))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        case .bool:
            let byte = try read(UInt8.self, what)
            if byte > 1 { throw GGUFError.invalidBool(path: path, key: key, byte: byte) }
            return .bool(byte == 1)
        case .string:
            return .string(try readString(what))
        case .array:
            return .array(try readArray(key: key, depth: depth + 1))
        }
    }

    mutating func readArray(key: String, depth: Int) throws -> GGUFArray {
        if depth > GGUFParser.maximumArrayDepth {
            throw GGUFError.arrayNestingTooDeep(path: path, key: key, limit: GGUFParser.maximumArrayDepth)
        }
        let elementType = try readValueType(key: key)
        let count = try readCount(
            "the element count of metadata '\(key)'", minimumElementBytes: elementType.minimumByteCount)
        switch elementType {
        case .string:
            var offsets: [Int] = []
            var lengths: [Int] = []
            offsets.reserveCapacity(count)
            lengths.reserveCapacity(count)
            for index in 0..<count {
                let span = try readStringSpan("element \(index) of metadata '\(key)'")
                offsets.append(span.offset)
                lengths.append(span.length)
            }
            return GGUFArray(mapping: mapping, stringOffsets: offsets, lengths: lengths)
        case .array:
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                values.append(.array(try readArray(key: key, depth: depth + 1)))
            }
            return GGUFArray(values, elementType: .array)
        case .bool:
            let start = position
            try require(count, reading: "the elements of metadata '\(key)'")
            for index in 0..<count {
                let byte = mapping.load(UInt8.self, at: start + index)
                if byte > 1 { throw GGUFError.invalidBool(path: path, key: key, byte: byte) }
            }
            position += count
            return GGUFArray(mapping: mapping, elementType: .bool, count: count, start: start)
        default:
            let size = elementType.fixedByteCount ?? 1
            // readCount bounded count by bytesLeft / size, so this product cannot overflow.
            try require(count * size, reading: "the elements of metadata '\(key)'")
            let start = position
            position += count * size
            return GGUFArray(mapping: mapping, elementType: elementType, count: count, start: start)
        }
    }

    /// Moves to the next multiple of `alignment` (a power of two).
    mutating func align(to alignment: Int) {
        let remainder = position % alignment
        if remainder != 0 { position += alignment - remainder }
    }
}
