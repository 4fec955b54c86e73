import Foundation

/// Writes a GGUF version 3 file: metadata, then tensors, each tensor's data aligned.
///
/// ```swift
/// let writer = try GGUFWriter(path: "whisper-tiny.en.gguf")
/// try writer.setMetadata("general.architecture", .string("whisper"))
/// try writer.addTensor(name: "encoder.conv1.weight", shape: [3, 80, 384], float32: weights)
/// try writer.addTensor(name: "encoder.blocks.0.mlp.0.weight", type: .f16, shape: [384, 1536]) { try read(42) }
/// try writer.write()
/// ```
///
/// Tensors given as a closure are produced one at a time while writing, so a converter never holds the whole model
/// in memory. The file is written to `<path>.partial` and renamed into place only when complete. A writer is not
/// thread-safe; use one per file.
public final class GGUFWriter {
    /// Where the file will be written.
    public let path: String
    /// The alignment of tensor data in bytes (written as `general.alignment` when it is not the default 32).
    public let alignment: Int

    private var metadataKeys: [String] = []
    private var metadataValues: [String: GGUFValue] = [:]
    private var tensors: [PendingTensor] = []
    private var tensorNames: Set<String> = []

    private struct PendingTensor {
        let name: String
        let type: GGMLType
        let shape: [Int]
        let byteCount: Int
        let source: Source
    }

    private enum Source {
        case bytes(Data)
        case producer(() throws -> Data)
    }

    /// The longest tensor name llama.cpp accepts (its `GGML_MAX_NAME` is 64 bytes including the terminator).
    public static let maximumTensorNameBytes = 63

    /// A writer for `path` with tensor data aligned to `alignment` bytes (a power of two).
    public init(path: String, alignment: Int = GGUFFile.defaultAlignment) throws {
        guard alignment > 0, alignment <= 1 << 31, alignment & (alignment - 1) == 0 else {
            throw GGUFError.invalidInput(path: path, reason: "alignment \(alignment) is not a power of two")
        }
        self.path = path
        self.alignment = alignment
    }

    /// Adds a metadata pair; keys must be unique, and `general.alignment` comes from `init`.
    public func setMetadata(_ key: String, _ value: GGUFValue) throws {
        if key == "general.alignment" {
            throw GGUFError.invalidInput(path: path, reason: "general.alignment is set by GGUFWriter(alignment:)")
        }
        try checkTypes(value, key: key)
        if metadataValues.updateValue(value, forKey: key) != nil {
            throw GGUFError.invalidInput(path: path, reason: "metadata key '\(key)' is set twice")
        }
        metadataKeys.append(key)
    }

    /// Adds an F32 tensor; `shape` is in ggml order (`shape[0]` contiguous) and must hold `float32.count` values.
    public func addTensor(name: String, shape: [Int], float32 values: [Float]) throws {
        var data = Data(count: values.count * 4)
        data.withUnsafeMutableBytes { bytes in
            for (index, value) in values.enumerated() {
                bytes.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        try addTensor(name: name, type: .f32, shape: shape, bytes: data)
    }

    /// Adds an F16 tensor converted from `values` (rounded to nearest); `shape` is in ggml order.
    public func addTensor(name: String, shape: [Int], float16From values: [Float]) throws {
        var data = Data(count: values.count * 2)
        data.withUnsafeMutableBytes { bytes in
            for (index, value) in values.enumerated() {
                let half = GGUFWriter.float16Bits(value)
                bytes.storeBytes(of: half.littleEndian, toByteOffset: index * 2, as: UInt16.self)
            }
        }
        try addTensor(name: name, type: .f16, shape: shape, bytes: data)
    }

    /// Adds a tensor from bytes already in `type`'s layout (quantized blocks, F16 halves, ...).
    public func addTensor(name: String, type: GGMLType, shape: [Int], bytes: Data) throws {
        let byteCount = try checkTensor(name: name, type: type, shape: shape)
        if bytes.count != byteCount {
            throw GGUFError.invalidInput(
                path: path,
                reason: "tensor '\(name)' (\(type), shape \(shape)) has \(bytes.count) bytes, expected \(byteCount)")
        }
        tensors.append(PendingTensor(name: name, type: type, shape: shape, byteCount: byteCount, source: .bytes(bytes)))
        tensorNames.insert(name)
    }

    /// Adds a tensor whose bytes (in `type`'s layout) `produce` returns while the file is written, one at a time.
    public func addTensor(name: String, type: GGMLType, shape: [Int], produce: @escaping () throws -> Data) throws {
        let byteCount = try checkTensor(name: name, type: type, shape: shape)
        tensors.append(
            PendingTensor(name: name, type: type, shape: shape, byteCount: byteCount, source: .producer(produce)))
        tensorNames.insert(name)
    }

    /// Writes the file: header, metadata, tensor table, then each tensor's data padded to the alignment.
    public func write() throws {
        let partialPath = path + ".partial"
        var header = Data()
        append(UInt32(0x4655_4747), to: &header)  // "GGUF" read as a little-endian UInt32
        append(UInt32(3), to: &header)
        append(UInt64(tensors.count), to: &header)
        var keys = metadataKeys
        var values = metadataValues
        if alignment != GGUFFile.defaultAlignment {
            keys.append("general.alignment")
            values["general.alignment"] = .uint32(UInt32(alignment))
        }
        append(UInt64(keys.count), to: &header)
        for key in keys {
            guard let value = values[key] else { continue }
            appendString(key, to: &header)
            append(value.type.rawValue, to: &header)
            appendValue(value, to: &header)
        }
        var offset = 0
        for tensor in tensors {
            appendString(tensor.name, to: &header)
            append(UInt32(tensor.shape.count), to: &header)
            for dimension in tensor.shape { append(UInt64(dimension), to: &header) }
            append(tensor.type.rawValue, to: &header)
            append(UInt64(offset), to: &header)
            offset += padded(tensor.byteCount)
        }
        header.append(Data(count: padded(header.count) - header.count))

        guard FileManager.default.createFile(atPath: partialPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: partialPath)
        else {
            throw GGUFError.writeFailed(path: path, reason: "cannot create \(partialPath)")
        }
        do {
            defer { try? handle.close() }
            try handle.write(contentsOf: header)
            for tensor in tensors {
                let data: Data
                switch tensor.source {
                case .bytes(let bytes): data = bytes
                case .producer(let produce): data = try produce()
                }
                if data.count != tensor.byteCount {
                    throw GGUFError.invalidInput(
                        path: path,
                        reason: "tensor '\(tensor.name)' (\(tensor.type), shape \(tensor.shape)) produced "
                            + "\(data.count) bytes, expected \(tensor.byteCount)")
                }
                try handle.write(contentsOf: data)
                let padding = padded(data.count) - data.count
                if padding > 0 { try handle.write(contentsOf: Data(count: padding)) }
            }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: partialPath)
            if let error = error as? GGUFError { throw error }
            throw GGUFError.writeFailed(path: path, reason: "\(error)")
        }
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partialPath, toPath: path)
        } catch {
            throw GGUFError.writeFailed(path: path, reason: "cannot rename \(partialPath) into place: \(error)")
        }
    }

    private func checkTensor(name: String, type: GGMLType, shape: [Int]) throws -> Int {
        if tensorNames.contains(name) {
            throw GGUFError.invalidInput(path: path, reason: "tensor '\(name)' is added twice")
        }
        if name.utf8.count > GGUFWriter.maximumTensorNameBytes {
            throw GGUFError.invalidInput(
                path: path,
                reason: "tensor name '\(name)' has \(name.utf8.count) bytes, "
                    + "expected at most \(GGUFWriter.maximumTensorNameBytes)")
        }
        switch type.byteCount(shape: shape) {
        case .success(let byteCount):
            return byteCount
        case .failure(let problem):
            throw GGUFError.invalidInput(
                path: path, reason: "tensor '\(name)' (\(type)) with shape \(shape) \(problem)")
        }
    }

    private func checkTypes(_ value: GGUFValue, key: String) throws {
        guard case .array(let array) = value else { return }
        for element in array.values {
            if element.type != array.elementType {
                throw GGUFError.invalidInput(
                    path: path,
                    reason: "metadata '\(key)' is an array of \(array.elementType) holding a \(element.type)")
            }
            try checkTypes(element, key: key)
        }
    }

    private func padded(_ count: Int) -> Int {
        (count + alignment - 1) / alignment * alignment
    }

    private func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private func appendString(_ string: String, to data: inout Data) {
        append(UInt64(string.utf8.count), to: &data)
        data.append(contentsOf: string.utf8)
    }

    private func appendValue(_ value: GGUFValue, to data: inout Data) {
        switch value {
        case .uint8(let value): append(value, to: &data)
        case .int8(let value): append(value, to: &data)
        case .uint16(let value): append(value, to: &data)
        case .int16(let value): append(value, to: &data)
        case .uint32(let value): append(value, to: &data)
        case .int32(let value): append(value, to: &data)
        case .uint64(let value): append(value, to: &data)
        case .int64(let value): append(value, to: &data)
        case .float32(let value): append(value.bitPattern, to: &data)
        case .float64(let value): append(value.bitPattern, to: &data)
        case .bool(let value): append(UInt8(value ? 1 : 0), to: &data)
        case .string(let value): appendString(value, to: &data)
        case .array(let array):
            append(array.elementType.rawValue, to: &data)
            append(UInt64(array.count), to: &data)
            for index in 0..<array.count {
                if let element = array[index] { appendValue(element, to: &data) }
            }
        }
    }

    /// IEEE half bits for `value`, rounded to nearest even; overflow gives infinity, NaN stays NaN.
    static func float16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0)
        }
        let halfExponent = exponent - 127 + 15
        if halfExponent >= 0x1F {
            return sign | 0x7C00
        }
        if halfExponent <= 0 {
            // Subnormal half (or zero): shift the mantissa with its implicit bit into place, rounding to even.
            if halfExponent < -10 { return sign }
            let full = mantissa | 0x80_0000
            let shift = UInt32(14 - halfExponent)
            var half = full >> shift
            let remainder = full & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(halfExponent) << 10 | mantissa >> 13
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
}
