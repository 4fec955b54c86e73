import Foundation

/// A safetensors file, read strictly: header length, JSON header, dtypes, shapes and offsets are checked up front.
///
/// The layout: a little-endian u64 header length, that many bytes of JSON (an object of
/// `name: {"dtype", "shape", "data_offsets": [begin, end]}` plus an optional `__metadata__` of strings), then the
/// data section. Offsets are relative to the data section; the tensors must tile it with no gaps or overlaps.
/// The whole file is read into memory: this reader serves small models and conversion, not memory mapping.
public struct SafeTensorsFile: Sendable {
    /// One tensor's header entry.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name.
        public let name: String
        /// The dtype as written, such as `F32`.
        public let dtype: String
        /// The shape, outermost dimension first (row-major, as PyTorch writes it).
        public let shape: [Int]
        /// Where the data lie in the data section.
        public let byteRange: Range<Int>

        /// The number of elements.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The element size of every dtype safetensors defines.
    public static let elementByteCounts: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8,
    ]

    /// The largest header accepted (the format's own reference reader refuses more than 100 MB).
    public static let maximumHeaderByteCount = 100_000_000

    /// The file the tensors came from.
    public let path: String
    /// The tensors in data order.
    public let entries: [Entry]
    /// The optional `__metadata__` strings.
    public let metadata: [String: String]
    private let bytes: Data
    private let dataOffset: Int

    /// Reads and validates the file at `path`.
    public init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw SafeTensorsError.cannotOpen(path: path, reason: reason)
        }
        try self.init(bytes: data, path: path)
    }

    /// Validates `bytes` as a safetensors file; `path` names it in errors.
    public init(bytes: Data, path: String = "<memory>") throws {
        let bytes = Data(bytes)  // rebased to index 0
        self.path = path
        self.bytes = bytes
        guard bytes.count >= 8 else {
            throw SafeTensorsError.headerOutsideFile(path: path, headerByteCount: 0, fileSize: bytes.count)
        }
        let headerByteCount = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerByteCount <= UInt64(bytes.count - 8) else {
            throw SafeTensorsError.headerOutsideFile(
                path: path, headerByteCount: headerByteCount, fileSize: bytes.count)
        }
        guard headerByteCount <= UInt64(Self.maximumHeaderByteCount) else {
            throw SafeTensorsError.invalidHeader(
                path: path, reason: "header of \(headerByteCount) bytes is over \(Self.maximumHeaderByteCount)")
        }
        dataOffset = 8 + Int(headerByteCount)
        let header = bytes.subdata(in: 8..<dataOffset)
        guard header.first == UInt8(ascii: "{") else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "header does not start with '{'")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: header)
        } catch {
            throw SafeTensorsError.invalidHeader(path: path, reason: "header is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in dictionary {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else {
                    throw SafeTensorsError.invalidHeader(path: path, reason: "__metadata__ is not an object of strings")
                }
                metadata = strings
                continue
            }
            entries.append(try Self.entry(name: name, value: value, path: path))
        }
        self.metadata = metadata
        self.entries = try Self.checkLayout(entries, dataByteCount: bytes.count - dataOffset, path: path)
    }

    private static func entry(name: String, value: Any, path: String) throws -> Entry {
        guard let fields = value as? [String: Any] else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "tensor '\(name)' is not an object")
        }
        guard let dtype = fields["dtype"] as? String else {
            throw SafeTensorsError.invalidHeader(path: path, reason: "tensor '\(name)' has no string 'dtype'")
        }
        guard let elementByteCount = elementByteCounts[dtype] else {
            throw SafeTensorsError.unknownDType(path: path, tensor: name, found: dtype)
        }
        guard let shape = integers(fields["shape"]) else {
            throw SafeTensorsError.invalidHeader(
                path: path, reason: "tensor '\(name)' has no 'shape' of non-negative integers")
        }
        guard let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
            throw SafeTensorsError.invalidHeader(
                path: path, reason: "tensor '\(name)' has no 'data_offsets' of two non-negative integers")
        }
        var expected = elementByteCount
        for dimension in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw SafeTensorsError.invalidHeader(path: path, reason: "tensor '\(name)' shape \(shape) overflows")
            }
            expected = product
        }
        guard offsets[0] <= offsets[1] else {
            throw SafeTensorsError.invalidHeader(
                path: path, reason: "tensor '\(name)' data_offsets [\(offsets[0]), \(offsets[1])] run backwards")
        }
        if offsets[1] - offsets[0] != expected {
            throw SafeTensorsError.byteCountMismatch(
                path: path, tensor: name, expected: expected, found: offsets[1] - offsets[0])
        }
        return Entry(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    /// The entries sorted by offset, after checking they tile the data section exactly.
    private static func checkLayout(_ entries: [Entry], dataByteCount: Int, path: String) throws -> [Entry] {
        let sorted = entries.sorted { ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name) }
        var next = 0
        for entry in sorted {
            if entry.byteRange.upperBound > dataByteCount {
                throw SafeTensorsError.tensorOutsideFile(
                    path: path, tensor: entry.name, begin: entry.byteRange.lowerBound,
                    end: entry.byteRange.upperBound, dataByteCount: dataByteCount)
            }
            if entry.byteRange.lowerBound != next {
                throw SafeTensorsError.dataNotContiguous(
                    path: path, tensor: entry.name, expectedBegin: next, foundBegin: entry.byteRange.lowerBound)
            }
            next = entry.byteRange.upperBound
        }
        if next != dataByteCount {
            throw SafeTensorsError.invalidHeader(
                path: path, reason: "tensors end at data byte \(next) but the data section has \(dataByteCount)")
        }
        return sorted
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let numbers = value as? [Any] else { return nil }
        var result: [Int] = []
        for number in numbers {
            guard let number = number as? NSNumber, number.int64Value >= 0,
                number.doubleValue == Double(number.int64Value)
            else { return nil }
            result.append(Int(number.int64Value))
        }
        return result
    }

    /// The entry called `name`, or `SafeTensorsError.missingTensor`.
    public func entry(named name: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw SafeTensorsError.missingTensor(path: path, tensor: name)
        }
        return entry
    }

    /// The F32 tensor called `name`, in row-major order, with its shape.
    public func float32(named name: String) throws -> (shape: [Int], values: [Float]) {
        let entry = try entry(named: name)
        guard entry.dtype == "F32" else {
            throw SafeTensorsError.dtypeMismatch(path: path, tensor: name, expected: "F32", found: entry.dtype)
        }
        var values = [Float](repeating: 0, count: entry.elementCount)
        bytes.withUnsafeBytes { raw in
            let start = dataOffset + entry.byteRange.lowerBound
            for index in values.indices {
                let bits = raw.loadUnaligned(fromByteOffset: start + index * 4, as: UInt32.self)
                values[index] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
        return (entry.shape, values)
    }
}
