/// Why a safetensors file could not be read; every case names the file.
public enum SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case cannotOpen(path: String, reason: String)
    /// The 8-byte header length, or the header it announces, does not fit in the file.
    case headerOutsideFile(path: String, headerByteCount: UInt64, fileSize: Int)
    /// The header is not a JSON object of tensor entries.
    case invalidHeader(path: String, reason: String)
    /// A tensor's dtype is not one safetensors defines.
    case unknownDType(path: String, tensor: String, found: String)
    /// A tensor's data offsets do not hold exactly its shape times its element size.
    case byteCountMismatch(path: String, tensor: String, expected: Int, found: Int)
    /// A tensor's data offsets run outside the data section.
    case tensorOutsideFile(path: String, tensor: String, begin: Int, end: Int, dataByteCount: Int)
    /// Tensor data overlap or leave a hole in the data section.
    case dataNotContiguous(path: String, tensor: String, expectedBegin: Int, foundBegin: Int)
    /// A tensor the caller needs is not in the file.
    case missingTensor(path: String, tensor: String)
    /// A tensor has another dtype than the one asked for.
    case dtypeMismatch(path: String, tensor: String, expected: String, found: String)

    /// The file this error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .headerOutsideFile(let path, _, _), .invalidHeader(let path, _),
            .unknownDType(let path, _, _), .byteCountMismatch(let path, _, _, _),
            .tensorOutsideFile(let path, _, _, _, _), .dataNotContiguous(let path, _, _, _),
            .missingTensor(let path, _), .dtypeMismatch(let path, _, _, _):
            path
        }
    }

    /// One line: the file, what was found and what was expected.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "\(path): cannot open: \(reason)"
        case .headerOutsideFile(let path, let headerByteCount, let fileSize):
            "\(path): header length \(headerByteCount) needs \(headerByteCount &+ 8) bytes, but the file has "
                + "\(fileSize) bytes, expected a safetensors file"
        case .invalidHeader(let path, let reason):
            "\(path): \(reason), expected a safetensors JSON header"
        case .unknownDType(let path, let tensor, let found):
            "\(path): tensor '\(tensor)' has dtype '\(found)', expected one of "
                + SafeTensorsFile.elementByteCounts.keys.sorted().joined(separator: ", ")
        case .byteCountMismatch(let path, let tensor, let expected, let found):
            "\(path): tensor '\(tensor)' has \(found) data bytes, expected \(expected) for its shape and dtype"
        case .tensorOutsideFile(let path, let tensor, let begin, let end, let dataByteCount):
            "\(path): tensor '\(tensor)' has data offsets [\(begin), \(end)], expected within the \(dataByteCount) "
                + "data bytes"
        case .dataNotContiguous(let path, let tensor, let expectedBegin, let foundBegin):
            "\(path): tensor '\(tensor)' data begins at \(foundBegin), expected \(expectedBegin) (no gaps, no overlaps)"
        case .missingTensor(let path, let tensor):
            "\(path): has no tensor '\(tensor)', expected one"
        case .dtypeMismatch(let path, let tensor, let expected, let found):
            "\(path): tensor '\(tensor)' has dtype \(found), expected \(expected)"
        }
    }
}
