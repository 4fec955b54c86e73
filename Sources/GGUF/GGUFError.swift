/// Why a GGUF file could not be read, validated or written; every case names the file.
///
/// Messages read "<path>: <what was found>, expected <what was expected>", as STYLE.md asks.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, measured or mapped.
    case cannotOpen(path: String, reason: String)
    /// The first four bytes are not `GGUF`.
    case notGGUF(path: String, foundMagic: [UInt8])
    /// The version is not 2 or 3 (version 1 is the 2023 pre-release layout with 32-bit counts).
    case unsupportedVersion(path: String, found: UInt32)
    /// The file ends before a field that should be there.
    case truncated(path: String, reading: String, offset: Int, needed: Int, fileSize: Int)
    /// A count is larger than the rest of the file could possibly hold.
    case implausibleCount(path: String, what: String, count: UInt64, limit: Int)
    /// A metadata value has a type number GGUF does not define.
    case unknownValueType(path: String, key: String, rawType: UInt32)
    /// A boolean metadata value is neither 0 nor 1.
    case invalidBool(path: String, key: String, byte: UInt8)
    /// Arrays are nested deeper than any model needs (a guard against crafted files).
    case arrayNestingTooDeep(path: String, key: String, limit: Int)
    /// The same metadata key appears twice.
    case duplicateKey(path: String, key: String)
    /// `general.alignment` is not a positive power of two that fits in 32 bits.
    case invalidAlignment(path: String, found: String)
    /// Two tensors have the same name.
    case duplicateTensor(path: String, tensor: String)
    /// A tensor's type number is not a known ggml type.
    case unknownTensorType(path: String, tensor: String, rawType: UInt32)
    /// A tensor's shape cannot be stored (too many dimensions, a zero, overflow, a partial block).
    case invalidTensorShape(path: String, tensor: String, shape: [UInt64], problem: GGMLShapeProblem)
    /// A tensor's offset is not a multiple of the file's alignment.
    case misalignedTensor(path: String, tensor: String, offset: UInt64, alignment: Int)
    /// A tensor's data would run past the end of the file.
    case tensorOutsideFile(path: String, tensor: String, start: UInt64, byteCount: Int, fileSize: Int)
    /// Two tensors' data overlap.
    case overlappingTensors(path: String, first: String, second: String)
    /// A tensor a model needs is not in the file.
    case missingTensor(path: String, tensor: String)
    /// A tensor's shape is not the one the model's architecture needs (shapes in ggml order).
    case tensorShapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
    /// A metadata key a model needs is not in the file.
    case missingMetadata(path: String, key: String)
    /// A metadata value has another type than the one asked for.
    case metadataTypeMismatch(path: String, key: String, expected: String, found: String)
    /// The writer was given something it cannot write (a duplicate, a wrong byte count, a mixed array).
    case invalidInput(path: String, reason: String)
    /// Writing to disk failed.
    case writeFailed(path: String, reason: String)

    /// The file this error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .notGGUF(let path, _), .unsupportedVersion(let path, _),
            .truncated(let path, _, _, _, _), .implausibleCount(let path, _, _, _), .unknownValueType(let path, _, _),
            .invalidBool(let path, _, _), .arrayNestingTooDeep(let path, _, _), .duplicateKey(let path, _),
            .invalidAlignment(let path, _), .duplicateTensor(let path, _), .unknownTensorType(let path, _, _),
            .invalidTensorShape(let path, _, _, _), .misalignedTensor(let path, _, _, _),
            .tensorOutsideFile(let path, _, _, _, _), .overlappingTensors(let path, _, _), .missingTensor(let path, _),
            .tensorShapeMismatch(let path, _, _, _), .missingMetadata(let path, _),
            .metadataTypeMismatch(let path, _, _, _), .invalidInput(let path, _), .writeFailed(let path, _):
            path
        }
    }

    /// One line: the file, what was found and what was expected.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open: \(reason)"
        case .notGGUF(let path, let magic):
            let hex = magic.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            return "\(path): starts with bytes [\(hex)], expected the GGUF magic [47 47 55 46] (\"GGUF\")"
        case .unsupportedVersion(let path, let found):
            if found == 1 {
                return "\(path): is GGUF version 1 (the 2023 pre-release layout), expected version 2 or 3; "
                    + "convert it again with a current llama.cpp"
            }
            if found.byteSwapped == 2 || found.byteSwapped == 3 {
                return "\(path): is a big-endian GGUF (version \(found.byteSwapped)), expected little-endian"
            }
            return "\(path): is GGUF version \(found), expected version 2 or 3"
        case .truncated(let path, let reading, let offset, let needed, let fileSize):
            return "\(path): ends while reading \(reading): \(needed) bytes needed at offset \(offset), "
                + "but the file has \(fileSize) bytes"
        case .implausibleCount(let path, let what, let count, let limit):
            return "\(path): \(what) is \(count), expected at most \(limit) (all the rest of the file could hold)"
        case .unknownValueType(let path, let key, let rawType):
            return "\(path): metadata '\(key)' has value type \(rawType), expected 0 through 12"
        case .invalidBool(let path, let key, let byte):
            return "\(path): metadata '\(key)' has boolean byte \(byte), expected 0 or 1"
        case .arrayNestingTooDeep(let path, let key, let limit):
            return "\(path): metadata '\(key)' nests arrays deeper than \(limit) levels"
        case .duplicateKey(let path, let key):
            return "\(path): metadata key '\(key)' appears twice, expected each key once"
        case .invalidAlignment(let path, let found):
            return "\(path): general.alignment is \(found), expected a power of two from 1 to 2^31"
        case .duplicateTensor(let path, let tensor):
            return "\(path): tensor '\(tensor)' appears twice, expected each name once"
        case .unknownTensorType(let path, let tensor, let rawType):
            return "\(path): tensor '\(tensor)' has ggml type \(rawType), expected one of "
                + GGMLType.allCases.map { "\($0.rawValue) (\($0))" }.joined(separator: ", ")
        case .invalidTensorShape(let path, let tensor, let shape, let problem):
            return "\(path): tensor '\(tensor)' with shape \(shape) \(problem)"
        case .misalignedTensor(let path, let tensor, let offset, let alignment):
            return "\(path): tensor '\(tensor)' starts at data offset \(offset), expected a multiple of \(alignment)"
        case .tensorOutsideFile(let path, let tensor, let start, let byteCount, let fileSize):
            return "\(path): tensor '\(tensor)' needs \(byteCount) bytes from file offset \(start), "
                + "but the file has \(fileSize) bytes"
        case .overlappingTensors(let path, let first, let second):
            return "\(path): tensors '\(first)' and '\(second)' overlap, expected disjoint data"
        case .missingTensor(let path, let tensor):
            return "\(path): has no tensor '\(tensor)', expected one"
        case .tensorShapeMismatch(let path, let tensor, let expected, let found):
            return "\(path): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case .missingMetadata(let path, let key):
            return "\(path): has no metadata '\(key)', expected one"
        case .metadataTypeMismatch(let path, let key, let expected, let found):
            return "\(path): metadata '\(key)' is \(found), expected \(expected)"
        case .invalidInput(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .writeFailed(let path, let reason):
            return "\(path): write failed: \(reason)"
        }
    }
}
