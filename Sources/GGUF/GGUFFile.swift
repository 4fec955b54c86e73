import Foundation
import TutorCore

/// The metadata of a GGUF file: keys in file order, values by key.
public struct GGUFMetadata: Sendable {
    /// The keys in the order the file lists them.
    public let keys: [String]
    private let values: [String: GGUFValue]

    init(keys: [String], values: [String: GGUFValue]) {
        self.keys = keys
        self.values = values
    }

    /// The value under `key`, or nil.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// The number of key-value pairs.
    public var count: Int { keys.count }
}

/// One entry of the tensor table.
///
/// `shape` is in ggml order: `shape[0]` is the innermost, contiguous dimension (the row length), so a PyTorch
/// weight of shape (out, in) appears here as `[in, out]`.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name, such as `blk.0.attn_q.weight`.
    public let name: String
    /// The element type.
    public let type: GGMLType
    /// The dimensions in ggml order: `shape[0]` is the contiguous one.
    public let shape: [Int]
    /// The offset of the data from the start of the data section (a multiple of the file's alignment).
    public let offset: Int
    /// The number of bytes the data occupies.
    public let byteCount: Int

    /// The number of values (the product of the dimensions).
    public var elementCount: Int { shape.reduce(1, *) }

    /// The number of rows: every dimension but the first, multiplied (1 for a vector).
    public var rowCount: Int { shape.dropFirst().reduce(1, *) }

    /// The bytes one row of `shape[0]` values occupies (whole blocks, as validated at load).
    public var rowByteCount: Int { (shape.first ?? 1) / type.blockSize * type.bytesPerBlock }
}

/// A tensor's description and a view of its bytes in the mapped file.
public struct GGUFTensor: Sendable {
    /// The tensor table entry.
    public let info: GGUFTensorInfo
    private let mapping: MappedFile
    private let fileOffset: Int

    init(info: GGUFTensorInfo, mapping: MappedFile, fileOffset: Int) {
        self.info = info
        self.mapping = mapping
        self.fileOffset = fileOffset
    }

    /// The tensor's name.
    public var name: String { info.name }
    /// The element type.
    public var type: GGMLType { info.type }
    /// The dimensions in ggml order: `shape[0]` is the contiguous one.
    public var shape: [Int] { info.shape }
    /// The number of bytes of data.
    public var byteCount: Int { info.byteCount }

    /// The tensor's bytes in the mapping; valid while this tensor (or its file) is alive. Do not write through it.
    public var bytes: UnsafeRawBufferPointer { mapping.buffer(offset: fileOffset, byteCount: info.byteCount) }

    /// The tensor's bytes as Data that shares the mapping (no copy) and keeps it alive.
    public var data: Data { mapping.data(offset: fileOffset, byteCount: info.byteCount) }

    /// Calls `body` with the tensor's bytes, keeping the mapping alive for the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(mapping) { try body(bytes) }
    }
}

/// A GGUF model file (version 2 or 3), memory-mapped read-only and validated before use.
///
/// ```swift
/// let file = try GGUFFile(path: modelPath)
/// let layers = file.metadata["llama.block_count"]?.int
/// let embedding = try file.requireTensor(named: "token_embd.weight")   // shape [576, 49152], type Q8_0
/// try file.validateShapes(["output_norm.weight": [576]])
/// ```
///
/// Opening parses only the header and tensor table; tensor data stays on disk until touched. A GGUFFile is immutable
/// and safe to share between threads; tensors keep the mapping alive after the file object is gone.
/// If another process truncates the file while it is mapped, touching the lost pages raises SIGBUS: model files
/// in the cache are written once and renamed into place, never rewritten.
public final class GGUFFile: Sendable {
    /// The path the file was opened from (or the label given to in-memory bytes); every error names it.
    public let path: String
    /// The GGUF version, 2 or 3.
    public let version: UInt32
    /// The metadata key-value pairs.
    public let metadata: GGUFMetadata
    /// The tensor table in file order.
    public let tensorInfos: [GGUFTensorInfo]
    /// The alignment of tensor data in bytes (`general.alignment`, 32 when absent).
    public let alignment: Int
    /// Where the data section starts in the file.
    public let dataOffset: Int
    /// The file's size in bytes.
    public let fileSize: Int
    private let mapping: MappedFile
    private let tensorIndex: [String: Int]

    /// The alignment GGUF assumes when `general.alignment` is absent.
    public static let defaultAlignment = 32

    /// Maps and validates the GGUF file at `path`.
    public convenience init(path: String) throws {
        let mapping: MappedFile
        do {
            mapping = try MappedFile(mappingFileAt: path)
        } catch {
            throw GGUFError.cannotOpen(path: path, reason: error.reason)
        }
        try self.init(mapping: mapping, path: path)
    }

    /// Maps and validates the GGUF file at `url`.
    public convenience init(contentsOf url: URL) throws {
        try self.init(path: url.path)
    }

    /// Validates GGUF bytes held in memory (copied once), labelled `path` in errors; for tests and fuzzing.
    public convenience init(bytes: Data, path: String = "<memory>") throws {
        try self.init(mapping: MappedFile(copying: bytes), path: path)
    }

    private init(mapping: MappedFile, path: String) throws {
        self.path = path
        self.mapping = mapping
        fileSize = mapping.count
        var parser = GGUFParser(path: path, mapping: mapping)

        try parser.require(4, reading: "the magic")
        let magic = (0..<4).map { mapping.load(UInt8.self, at: $0) }
        if magic != Array("GGUF".utf8) {
            throw GGUFError.notGGUF(path: path, foundMagic: magic)
        }
        _ = try parser.read(UInt32.self, "the magic")
        version = try parser.read(UInt32.self, "the version")
        if version != 2 && version != 3 {
            throw GGUFError.unsupportedVersion(path: path, found: version)
        }

        // The smallest tensor entry: empty name (8), dimension count (4), type (4), offset (8).
        let tensorCount = try parser.readCount("the tensor count", minimumElementBytes: 24)
        // The smallest metadata entry: empty key (8), value type (4), one byte of value.
        let metadataCount = try parser.readCount("the metadata count", minimumElementBytes: 13)

        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        keys.reserveCapacity(metadataCount)
        for index in 0..<metadataCount {
            let key = try parser.readString("the key of metadata entry \(index)")
            let type = try parser.readValueType(key: key)
            let value = try parser.readValue(of: type, key: key)
            if values.updateValue(value, forKey: key) != nil {
                throw GGUFError.duplicateKey(path: path, key: key)
            }
            keys.append(key)
        }
        metadata = GGUFMetadata(keys: keys, values: values)
        alignment = try GGUFFile.alignment(in: values["general.alignment"], path: path)

        struct RawTensor {
            var name: String
            var dimensions: [UInt64]
            var rawType: UInt32
            var offset: UInt64
        }
        var rawTensors: [RawTensor] = []
        rawTensors.reserveCapacity(tensorCount)
        for index in 0..<tensorCount {
            let name = try parser.readString("the name of tensor \(index)")
            let dimensionCount = try parser.read(UInt32.self, "the dimension count of tensor '\(name)'")
            if dimensionCount > UInt32(GGMLType.maximumDimensionCount) {
                throw GGUFError.invalidTensorShape(
                    path: path, tensor: name, shape: [],
                    problem: .tooManyDimensions(Int(dimensionCount)))
            }
            var dimensions: [UInt64] = []
            for _ in 0..<dimensionCount {
                dimensions.append(try parser.read(UInt64.self, "the dimensions of tensor '\(name)'"))
            }
            let rawType = try parser.read(UInt32.self, "the type of tensor '\(name)'")
            let offset = try parser.read(UInt64.self, "the data offset of tensor '\(name)'")
            rawTensors.append(RawTensor(name: name, dimensions: dimensions, rawType: rawType, offset: offset))
        }
        parser.align(to: alignment)
        dataOffset = parser.position

        var infos: [GGUFTensorInfo] = []
        var index: [String: Int] = [:]
        infos.reserveCapacity(rawTensors.count)
        for raw in rawTensors {
            guard let type = GGMLType(rawValue: raw.rawType) else {
                throw GGUFError.unknownTensorType(path: path, tensor: raw.name, rawType: raw.rawType)
            }
            let shape = raw.dimensions.map { Int(clamping: $0) }
            if raw.dimensions.contains(where: { $0 > UInt64(Int.max) }) {
                throw GGUFError.invalidTensorShape(
                    path: path, tensor: raw.name, shape: raw.dimensions, problem: .elementCountOverflows)
            }
            let byteCount: Int
            switch type.byteCount(shape: shape) {
            case .success(let count): byteCount = count
            case .failure(let problem):
                throw GGUFError.invalidTensorShape(
                    path: path, tensor: raw.name, shape: raw.dimensions, problem: problem)
            }
            if raw.offset % UInt64(alignment) != 0 {
                throw GGUFError.misalignedTensor(path: path, tensor: raw.name, offset: raw.offset, alignment: alignment)
            }
            let (start, startOverflow) = UInt64(dataOffset).addingReportingOverflow(raw.offset)
            let (end, endOverflow) = start.addingReportingOverflow(UInt64(byteCount))
            if startOverflow || endOverflow || end > UInt64(fileSize) {
                throw GGUFError.tensorOutsideFile(
                    path: path, tensor: raw.name, start: startOverflow ? UInt64.max : start, byteCount: byteCount,
                    fileSize: fileSize)
            }
            if index.updateValue(infos.count, forKey: raw.name) != nil {
                throw GGUFError.duplicateTensor(path: path, tensor: raw.name)
            }
            infos.append(
                GGUFTensorInfo(name: raw.name, type: type, shape: shape, offset: Int(raw.offset), byteCount: byteCount))
        }
        let byOffset = infos.sorted { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        for (first, second) in zip(byOffset, byOffset.dropFirst()) where first.offset + first.byteCount > second.offset
        {
            throw GGUFError.overlappingTensors(path: path, first: first.name, second: second.name)
        }
        tensorInfos = infos
        tensorIndex = index
    }

    private static func alignment(in value: GGUFValue?, path: String) throws -> Int {
        guard let value else { return defaultAlignment }
        guard let alignment = value.int, alignment > 0, alignment <= 1 << 31, alignment & (alignment - 1) == 0 else {
            throw GGUFError.invalidAlignment(path: path, found: "\(value) (\(value.type))")
        }
        return alignment
    }

    /// The number of tensors.
    public var tensorCount: Int { tensorInfos.count }

    /// `general.architecture`, such as `llama`, if present.
    public var architecture: String? { metadata["general.architecture"]?.string }

    /// The tensor called `name` with a view of its bytes, or nil if there is none.
    public func tensor(named name: String) -> GGUFTensor? {
        guard let index = tensorIndex[name] else { return nil }
        let info = tensorInfos[index]
        return GGUFTensor(info: info, mapping: mapping, fileOffset: dataOffset + info.offset)
    }

    /// The tensor called `name`, or `GGUFError.missingTensor` naming this file.
    public func requireTensor(named name: String) throws -> GGUFTensor {
        guard let tensor = tensor(named: name) else { throw GGUFError.missingTensor(path: path, tensor: name) }
        return tensor
    }

    /// Every tensor in file order.
    public var tensors: [GGUFTensor] {
        tensorInfos.map { GGUFTensor(info: $0, mapping: mapping, fileOffset: dataOffset + $0.offset) }
    }

    /// Checks that each named tensor exists with exactly the given shape (ggml order); the first problem in name
    /// order is thrown as `missingTensor` or `tensorShapeMismatch`.
    public func validateShapes(_ expected: [String: [Int]]) throws {
        for name in expected.keys.sorted() {
            guard let expectedShape = expected[name] else { continue }
            guard let index = tensorIndex[name] else { throw GGUFError.missingTensor(path: path, tensor: name) }
            let found = tensorInfos[index].shape
            if found != expectedShape {
                throw GGUFError.tensorShapeMismatch(path: path, tensor: name, expected: expectedShape, found: found)
            }
        }
    }

    /// The metadata value under `key`, or `GGUFError.missingMetadata`.
    public func requireValue(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else { throw GGUFError.missingMetadata(path: path, key: key) }
        return value
    }

    /// The integer under `key`, or an error naming the key and what was found there.
    public func requireInt(_ key: String) throws -> Int {
        let value = try requireValue(key)
        guard let int = value.int else {
            throw GGUFError.metadataTypeMismatch(path: path, key: key, expected: "an integer", found: "\(value.type)")
        }
        return int
    }

    /// The float under `key`, or an error naming the key and what was found there.
    public func requireFloat(_ key: String) throws -> Float {
        let value = try requireValue(key)
        guard let float = value.float else {
            throw GGUFError.metadataTypeMismatch(path: path, key: key, expected: "a float", found: "\(value.type)")
        }
        return float
    }

    /// The string under `key`, or an error naming the key and what was found there.
    public func requireString(_ key: String) throws -> String {
        let value = try requireValue(key)
        guard let string = value.string else {
            throw GGUFError.metadataTypeMismatch(path: path, key: key, expected: "a string", found: "\(value.type)")
        }
        return string
    }

    /// The total tensor bytes per type, largest first.
    public var tensorBytesByType: [(type: GGMLType, byteCount: Int, tensorCount: Int)] {
        var totals: [GGMLType: (bytes: Int, tensors: Int)] = [:]
        for info in tensorInfos {
            totals[info.type, default: (0, 0)].bytes += info.byteCount
            totals[info.type, default: (0, 0)].tensors += 1
        }
        return totals.map { (type: $0.key, byteCount: $0.value.bytes, tensorCount: $0.value.tensors) }
            .sorted { ($0.byteCount, $1.type.rawValue) > ($1.byteCount, $0.type.rawValue) }
    }

    /// One line for the load log: version, counts, architecture and tensor bytes by type.
    ///
    /// For example `model.gguf: GGUF v3, llama, 272 tensors (98.2 MB: Q4_1 80.1 MB in 211, F32 ...), 33 metadata`.
    public var summary: String {
        let total = tensorInfos.reduce(0) { $0 + $1.byteCount }
        let byType = tensorBytesByType.map { "\($0.type) \(GGUFFile.megabytes($0.byteCount)) in \($0.tensorCount)" }
        return "\(path): GGUF v\(version), \(architecture ?? "no architecture"), \(tensorCount) tensors "
            + "(\(GGUFFile.megabytes(total)): \(byType.joined(separator: ", "))), \(metadata.count) metadata, "
            + "alignment \(alignment)"
    }

    private static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
